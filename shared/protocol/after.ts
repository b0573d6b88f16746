/**
 * What a connection does after an executor has run one command — the one answer both protocols'
 * executors give, so a connection need not know which protocol it speaks.
 * @module
 */

/** Keep the connection open, or close it once the replies so far are written. */
export const After = { Continue: 0, Close: 1 } as const;
export type After = (typeof After)[keyof typeof After];
