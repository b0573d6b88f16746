/**
 * The layout of a ring record, as named constants: what the event loop and its workers agree on
 * before any byte moves. The codec that reads and writes records is ring-records.ts.
 *
 *   [u32 connection id][u8 kind][payload …]
 * @module
 */

/** Bytes before the payload. */
export const RECORD_HEADER = 5;

/** What a record says. */
export const RecordKind = {
  /** Loop → worker: bytes read from the client. */
  Request: 1,
  /** Loop → worker: the client went away (its socket closed); drop its session. */
  Gone: 2,
  /** Worker → loop: reply bytes to write. */
  Reply: 3,
  /** Worker → loop: close the connection once the replies before this record are written. */
  Close: 4,
  /**
   * Worker → loop: this connection used up its turn with requests still buffered. The worker
   * serves it again only after a Resume — which the loop sends at once, unless the client is not
   * reading its replies. This is how backpressure reaches a thread that cannot see the socket.
   */
  More: 5,
  /** Loop → worker: carry on with the connection's buffered requests. */
  Resume: 6,
  /**
   * Worker → loop: after a Resume, the connection's buffered requests are all served. From More to
   * Idle the loop reads nothing more from that client, so what a worker holds unserved for one
   * connection is bounded by what was in transit, not by how fast the client sends.
   */
  Idle: 7,
  /**
   * Loop → worker: shutting down. Serve the connection's complete requests (it sends no more),
   * then answer Close — the same Close as a `quit`, after the last reply.
   */
  Drain: 8,
  /**
   * Worker → loop, only when the loop guards its connections (phase 4's edge): after each turn,
   * `[u32 requests served][u8 flags: 1 a request is half received, 2 they were refused]`. The
   * loop owns the sockets and the deadlines, but only the worker's session knows whether a
   * request is incomplete.
   */
  Progress: 9,
  /** Loop → worker: `[u8 1|0]` — answer this connection's requests with the rate-limit refusal, or serve them again. */
  Refuse: 10,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];
