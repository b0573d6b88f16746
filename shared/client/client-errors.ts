/**
 * The client's own error catalogue: what can go wrong between a caller and a server, each with a
 * stable `code` to branch on. Error *replies* from the server are not here: they arrive as
 * {@link Reply} values, and {@link "shared/client/client"!Client} raises them as `SERVER_REPLY`.
 * @module
 */
import type { Reply } from './reply.ts';

/** Every client error code, with what it means. */
export const CLIENT_ERRORS = {
  /** The TCP connection could not be opened (refused, unreachable, or too slow). */
  CONNECT_FAILED: 'could not connect',
  /** No reply within the request's timeout; the connection is closed, since a late reply would be matched to the wrong request. */
  TIMEOUT: 'request timed out',
  /** The connection closed (or was closed) before this request's reply arrived. */
  CONNECTION_CLOSED: 'connection closed',
  /** The server sent bytes that are not a valid reply; the connection is closed. */
  BAD_REPLY: 'malformed reply',
  /** The request cannot be encoded: a key with spaces or control bytes, a number out of range. */
  BAD_REQUEST: 'invalid request',
  /** No pooled connection became free within the acquire timeout. */
  ACQUIRE_TIMEOUT: 'timed out waiting for a pooled connection',
  /** The pool or client was closed. */
  POOL_CLOSED: 'pool closed',
  /** The server answered with ERROR, CLIENT_ERROR or SERVER_ERROR. */
  SERVER_REPLY: 'server replied with an error',
  /** The requested protocol has no codec. */
  UNSUPPORTED: 'not supported',
} as const;
/** One of the keys of {@link CLIENT_ERRORS}. */
export type ClientErrorCode = keyof typeof CLIENT_ERRORS;

/** An error raised by the client; branch on `code`. */
export class ClientError extends Error {
  /** The stable code. */
  readonly code: ClientErrorCode;
  /** For `SERVER_REPLY`: the error reply itself. */
  readonly reply: Reply | undefined;

  /**
   * @param code - which error
   * @param detail - what happened, for people (never branch on it)
   * @param options - the underlying cause and, for `SERVER_REPLY`, the reply
   */
  constructor(code: ClientErrorCode, detail?: string, options: { cause?: unknown; reply?: Reply } = {}) {
    super(detail ? `${CLIENT_ERRORS[code]}: ${detail}` : CLIENT_ERRORS[code], { cause: options.cause });
    this.name = 'ClientError';
    this.code = code;
    this.reply = options.reply;
  }
}
