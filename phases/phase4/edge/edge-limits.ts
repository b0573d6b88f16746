/**
 * What the edge enforces, as plain values: the per-client rate limit (which SIGHUP may change)
 * and the connection limits and deadlines (fixed for the server's life).
 * @module
 */

/** How a client over its rate is treated. */
export type RateMode = 'delay' | 'reject';

/** The per-client rate limit; live (SIGHUP). */
export interface RateLimit {
  /** Requests a second each client may make; 0: no rate limit. */
  readonly rate: number;
  /** Requests a client may make at once after a quiet spell (the bucket's size, ≥ 1). */
  readonly burst: number;
  /**
   * `delay`: stop reading the client until its bucket refills (TCP backpressure: no client ever
   * sees an error, it only waits). `reject`: answer `SERVER_ERROR slow down` until it refills.
   */
  readonly mode: RateMode;
}

/** Everything the edge enforces. */
export interface EdgeLimits extends RateLimit {
  /** Connections one source address may hold open; 0: no limit beyond the total. */
  readonly maxPerAddress: number;
  /** Close a connection that has sent nothing for this long (memcached's idle_timeout); 0: never. */
  readonly idleTimeoutMs: number;
  /** Close a connection holding part of a request for this long (slowloris); 0: never. */
  readonly partialTimeoutMs: number;
  /** The server's total connection limit: it bounds the buckets that can be in use at once. */
  readonly maxConnections: number;
}

/** The bucket size when none is configured: one second's worth of requests. */
export function effectiveBurst(rate: number, burst: number): number {
  return burst > 0 ? burst : Math.max(1, rate);
}
