/**
 * How a connection hands back the outcome of a request without a closure per request: the caller
 * passes an object with two methods, and may reuse one object for every request it sends (the
 * benchmark does). {@link "shared/client/connection"!Connection.request} wraps a promise in one for convenience.
 * @module
 */
import type { ClientError } from './client-errors.ts';
import type { Reply } from './reply.ts';

/** Receives the outcome of each request it was passed with, in request order. Must not throw. */
export interface ReplyListener {
  /** The reply arrived (error replies included: they are replies). */
  onReply(reply: Reply): void;
  /** No reply will come: timeout, connection closed, or a malformed byte stream. */
  onFailure(error: ClientError): void;
}
