/**
 * The one error catalogue. Every protocol error has a stable `code` (code branches on it, never on
 * message text), the exact words memcached sends for it, and what the connection does next.
 * Turning an error into wire bytes happens here and nowhere else.
 * @module
 */

/** What happens to the connection after the error. */
export const ErrorAction = {
  /** Send the reply and carry on with the next command. */
  Reply: 'reply',
  /** Close the connection without replying (memcached's behaviour for hopeless input). */
  Close: 'close',
  /** Send the reply, then close. */
  ReplyAndClose: 'reply-and-close',
} as const;
export type ErrorAction = (typeof ErrorAction)[keyof typeof ErrorAction];

interface ErrorSpec {
  /** The reply line without its CRLF, exactly as memcached 1.6 sends it. */
  readonly text: string;
  readonly action: ErrorAction;
}

/** Every error the servers can send, by stable code. */
export const ERRORS = {
  /** An unknown or malformed command name (`GET k`, `foo`), or an empty line. */
  UNKNOWN_COMMAND: { text: 'ERROR', action: ErrorAction.Reply },
  /** Wrong number of arguments, a key over 250 bytes, a number that does not parse or is out of range. */
  BAD_FORMAT: { text: 'CLIENT_ERROR bad command line format', action: ErrorAction.Reply },
  /** `delete` with a word other than `0` or `noreply` after the key. */
  BAD_DELETE: { text: 'CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]', action: ErrorAction.Reply },
  /** The data block was not followed by exactly CRLF. */
  BAD_DATA_CHUNK: { text: 'CLIENT_ERROR bad data chunk', action: ErrorAction.Reply },
  /** The item exceeds the item size limit; its declared bytes are swallowed first. */
  TOO_LARGE: { text: 'SERVER_ERROR object too large for cache', action: ErrorAction.Reply },
  /** The store is full even after reclaiming expired items. */
  NO_MEMORY: { text: 'SERVER_ERROR out of memory storing object', action: ErrorAction.Reply },
  NON_NUMERIC: { text: 'CLIENT_ERROR cannot increment or decrement non-numeric value', action: ErrorAction.Reply },
  BAD_DELTA: { text: 'CLIENT_ERROR invalid numeric delta argument', action: ErrorAction.Reply },
  BAD_EXPTIME: { text: 'CLIENT_ERROR invalid exptime argument', action: ErrorAction.Reply },
  /** A line longer than the limit with no newline: memcached hangs up. */
  LINE_TOO_LONG: { text: 'CLIENT_ERROR line too long', action: ErrorAction.Close },
  /** `GET / HTTP/1.0` and friends: memcached hangs up without a reply. */
  HTTP_REQUEST: { text: '', action: ErrorAction.Close },
  /** The server is at its connection limit. */
  TOO_MANY_CONNECTIONS: { text: 'ERROR Too many open connections', action: ErrorAction.ReplyAndClose },
  /** An unexpected failure inside the server; the connection carries on. */
  INTERNAL: { text: 'SERVER_ERROR internal error', action: ErrorAction.Reply },
} as const satisfies Record<string, ErrorSpec>;

/** The stable code of an error in the catalogue; code branches on it, never on the words. */
export type ErrorCode = keyof typeof ERRORS;

/** A protocol error on its way to the client. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly action: ErrorAction;
  constructor(code: ErrorCode, detail?: string) {
    super(detail ? `${ERRORS[code].text} (${detail})` : ERRORS[code].text);
    this.name = 'ProtocolError';
    this.code = code;
    this.action = ERRORS[code].action;
  }
}

/** The wire bytes of each text-protocol error, built once. */
const WIRE: Record<ErrorCode, Buffer> = Object.fromEntries(
  Object.entries(ERRORS).map(([code, spec]) => [code, Buffer.from(spec.text ? `${spec.text}\r\n` : '', 'latin1')]),
) as Record<ErrorCode, Buffer>;

/** The text-protocol reply for an error code (empty for errors that hang up silently). */
export function errorReply(code: ErrorCode): Buffer {
  return WIRE[code];
}
