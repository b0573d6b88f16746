/**
 * What a connection does next — one vocabulary, from the executor to the socket. An executor's
 * answer after one command is {@link After}; a session's step adds the one answer only a parser
 * can give, {@link Step.NeedMore}. Both protocols give the same answers, so a connection need not
 * know which protocol it speaks.
 * @module
 */

/** Keep the connection open, or close it once the replies so far are written. */
export const After = { Continue: 0, Close: 1 } as const;
export type After = (typeof After)[keyof typeof After];

/** What one session step did: ran one request (then {@link After}'s answer), or found none complete. */
export const Step = {
  /** One request was executed; its reply (if any) was appended. Serve the next. */
  Continue: After.Continue,
  /** Close the connection once the replies so far are written. */
  Close: After.Close,
  /** No complete request is buffered: feed more bytes. */
  NeedMore: 2,
} as const;
export type Step = (typeof Step)[keyof typeof Step];
