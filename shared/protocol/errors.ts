/**
 * The one error catalogue, for both protocols. Every text-protocol error has a stable `code` (code
 * branches on it, never on message text), the exact words memcached sends for it, and what the
 * connection does next; the binary protocol's statuses carry the words memcached puts in their
 * bodies, and its framing errors a status and the same actions. Turning a text error into wire
 * bytes happens here and nowhere else (binary responses are built by binary-reply.ts from these).
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
  /**
   * The client is over its request rate (phase 4's reject mode): memcached's proxy's words for a
   * rate-limited request. The request is not executed; the connection carries on.
   */
  SLOW_DOWN: { text: 'SERVER_ERROR slow down', action: ErrorAction.Reply },
  // ── Meta commands (mg, ms, md, ma, me). memcached 1.6.18 words each check differently, and for
  // md and ma reports every flag error as META_BAD_FLAGS. ──
  /** A flag letter given twice (memcached also says so for a flag byte of 127 or above). */
  META_DUPLICATE_FLAG: { text: 'CLIENT_ERROR duplicate flag', action: ErrorAction.Reply },
  /** A flag letter that the command does not know. */
  META_INVALID_FLAG: { text: 'CLIENT_ERROR invalid flag', action: ErrorAction.Reply },
  /** md and ma: any bad flag (unknown, repeated, or with a bad token). */
  META_BAD_FLAGS: { text: 'CLIENT_ERROR invalid or duplicate flag', action: ErrorAction.Reply },
  /** A number token (T, N, R, C, E) that does not parse or is out of range. */
  META_BAD_TOKEN: { text: 'CLIENT_ERROR bad token in command line format', action: ErrorAction.Reply },
  /** The `b` flag with a key that is not base64. */
  META_BAD_KEY_ENCODING: { text: 'CLIENT_ERROR error decoding key', action: ErrorAction.Reply },
  /** mg with more than 17 flags. */
  META_GET_TOO_MANY_FLAGS: { text: 'CLIENT_ERROR options flags are too long', action: ErrorAction.Reply },
  /** ms, md or ma with more than 17 flags (ms: 16, after its length). */
  META_TOO_MANY_FLAGS: { text: 'CLIENT_ERROR options flags too long', action: ErrorAction.Reply },
  /** A `J` token (initial value) that is not an unsigned 64-bit number. */
  META_BAD_INITIAL: { text: 'CLIENT_ERROR invalid numeric initial value', action: ErrorAction.Reply },
  /** A `D` token (delta) that is not an unsigned 64-bit number. */
  META_BAD_DELTA: { text: 'CLIENT_ERROR invalid numeric delta value', action: ErrorAction.Reply },
  /** An `O` token longer than 32 bytes, the letter included. */
  META_OPAQUE_TOO_LONG: { text: 'CLIENT_ERROR opaque token too long', action: ErrorAction.Reply },
  /** An `M` token that is not exactly one character after the M. */
  META_BAD_MODE_LENGTH: { text: 'CLIENT_ERROR incorrect length for M token', action: ErrorAction.Reply },
  /** ms with a mode other than S, E, A, P, R. */
  META_BAD_SET_MODE: { text: 'CLIENT_ERROR invalid mode for ms M token', action: ErrorAction.Reply },
  /** ma with a mode other than I, +, D, -. */
  META_BAD_ARITH_MODE: { text: 'CLIENT_ERROR invalid mode for ma M token', action: ErrorAction.Reply },
  /** ma found no memory for its new value. */
  META_NO_MEMORY: { text: 'SERVER_ERROR out of memory', action: ErrorAction.Reply },
  // ── stats groups ──
  /** `stats detail` without on, off or dump. */
  STATS_DETAIL_USAGE: { text: 'CLIENT_ERROR usage: stats detail on|off|dump', action: ErrorAction.Reply },
  /** `stats cachedump` on a server whose dump_enabled is no. */
  STATS_CACHEDUMP_NOT_ALLOWED: { text: 'CLIENT_ERROR stats cachedump not allowed', action: ErrorAction.Reply },
  /** `lru_crawler metadump` on a server whose dump_enabled is no. */
  METADUMP_NOT_ALLOWED: { text: 'ERROR metadump not allowed', action: ErrorAction.Reply },
  /** `shutdown` on a server that does not serve it (memcached without `-A`), in any form. */
  SHUTDOWN_DISABLED: { text: 'ERROR: shutdown not enabled', action: ErrorAction.Reply },
  /** `shutdown <word>` with a word other than `graceful`, on a server that serves it. */
  BAD_SHUTDOWN_MODE: { text: 'CLIENT_ERROR invalid shutdown mode', action: ErrorAction.Reply },
  // ── refresh_certs (TLS): the four loading errors are followed by the file and the reason, as in
  // memcached's `Error loading the key: <path> : <reason>`. ──
  /** `refresh_certs` on a server whose listener does not serve TLS. */
  TLS_NOT_ENABLED: { text: 'Error TLS not enabled', action: ErrorAction.Reply },
  /** The certificate chain file could not be read or parsed. */
  TLS_CHAIN_CERT: { text: 'Error loading the certificate chain:', action: ErrorAction.Reply },
  /** The private key file could not be read or parsed, or the key is not the certificate's. */
  TLS_KEY: { text: 'Error loading the key:', action: ErrorAction.Reply },
  /** The CA certificate file could not be read or parsed. */
  TLS_CA_CERT: { text: 'Error loading the CA certificate:', action: ErrorAction.Reply },
  /** A write while the persistence log cannot be written (disk full, I/O error); reads go on. */
  PERSIST_FAILED: { text: 'SERVER_ERROR persistence failure, write refused', action: ErrorAction.Reply },
  /** An unexpected failure inside the server; the connection carries on. */
  INTERNAL: { text: 'SERVER_ERROR internal error', action: ErrorAction.Reply },
  // ── ASCII authentication (memcached's -Y): the answers before a client has authenticated. ──
  /** Any command but the `set` that carries the credentials, before authentication. */
  AUTH_REQUIRED: { text: 'CLIENT_ERROR unauthenticated', action: ErrorAction.Reply },
  /** The credentials did not match any user:password of the auth file. */
  AUTH_FAILED: { text: 'CLIENT_ERROR authentication failure', action: ErrorAction.Reply },
  /** The credentials block is not two words, `user pass`. */
  AUTH_BAD_TOKEN: { text: 'CLIENT_ERROR bad authentication token format', action: ErrorAction.Reply },
  /** The credentials block was not followed by exactly CRLF. */
  AUTH_BAD_TERMINATION: { text: 'CLIENT_ERROR bad command line termination', action: ErrorAction.Reply },
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

// ── The binary protocol ─────────────────────────────────────────────────────────────────────

/** Response status codes, as memcached sends them. */
export const Status = {
  Success: 0x0000,
  KeyNotFound: 0x0001,
  KeyExists: 0x0002,
  TooLarge: 0x0003,
  InvalidArguments: 0x0004,
  NotStored: 0x0005,
  /** incr/decr on a value that is not a decimal number. */
  NonNumeric: 0x0006,
  UnknownCommand: 0x0081,
  OutOfMemory: 0x0082,
  /** A request failed inside the server (memcached's EINTERNAL); the connection carries on. */
  InternalError: 0x0084,
  /**
   * memcached's ETMPFAIL, "try again later": the status of a request refused for the client's rate
   * (phase 4's reject mode). memcached's binary protocol has no rate-limit status; this is the one
   * that tells a client the request may succeed if retried, not that it was wrong.
   */
  TemporaryFailure: 0x0086,
  /** SASL: the credentials were refused, or a command came before authentication (then memcached hangs up). */
  AuthError: 0x0020,
  /** SASL: the mechanism needs another step (the server's challenge is the body). */
  AuthContinue: 0x0021,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/**
 * The body memcached 1.6 puts in each error response, word for word (clients such as memjs show
 * it to the user). Success has none.
 */
export const STATUS_TEXT: Readonly<Record<Status, string>> = {
  [Status.Success]: '',
  [Status.KeyNotFound]: 'Not found',
  [Status.KeyExists]: 'Data exists for key.',
  [Status.TooLarge]: 'Too large.',
  [Status.InvalidArguments]: 'Invalid arguments',
  [Status.NotStored]: 'Not stored.',
  [Status.NonNumeric]: 'Non-numeric server-side value for incr or decr',
  [Status.UnknownCommand]: 'Unknown command',
  [Status.OutOfMemory]: 'Out of memory',
  [Status.InternalError]: 'Internal error',
  [Status.TemporaryFailure]: 'slow down',
  [Status.AuthError]: 'Auth failure.',
  [Status.AuthContinue]: '',
};

/** A status and what happens to the connection, for one kind of malformed request. */
interface FrameErrorSpec {
  /** The status sent back; unused when the action is a silent close. */
  readonly status: Status;
  readonly action: ErrorAction;
}

/** Every framing error, by stable code. */
export const FRAME_ERRORS = {
  /** The first header byte is not 0x80: memcached hangs up without a word. */
  BAD_MAGIC: { status: Status.UnknownCommand, action: ErrorAction.Close },
  /** keylen + extlen > bodylen: memcached answers "Unknown command" and hangs up. */
  BODY_TOO_SHORT: { status: Status.UnknownCommand, action: ErrorAction.ReplyAndClose },
  /** A key over 250 bytes: "Invalid arguments", then memcached hangs up. */
  KEY_TOO_LONG: { status: Status.InvalidArguments, action: ErrorAction.ReplyAndClose },
  /** Extras, key or value the opcode does not take (a wrong extlen, a Get without a key, …). */
  BAD_SHAPE: { status: Status.InvalidArguments, action: ErrorAction.ReplyAndClose },
  /** An opcode memcached does not serve: "Unknown command"; the body is skipped, the connection lives. */
  UNKNOWN_OPCODE: { status: Status.UnknownCommand, action: ErrorAction.Reply },
  /** A value over the item size limit: "Too large."; the value is skipped, never buffered. */
  TOO_LARGE: { status: Status.TooLarge, action: ErrorAction.Reply },
} as const satisfies Record<string, FrameErrorSpec>;

/** The name of a framing error: a header the parser refuses before reading its body. */
export type FrameErrorCode = keyof typeof FRAME_ERRORS;
