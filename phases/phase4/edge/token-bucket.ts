/**
 * A token bucket: the classic rate limiter. The bucket holds up to `burst` tokens and gains `rate`
 * tokens a second; each request spends one. A client that stays under the rate never waits, one
 * that sends a burst after a quiet spell gets up to `burst` at once, and one that sends faster than
 * the rate is held to it over any window longer than burst/rate seconds.
 *
 * There is no timer: the refill is computed when the bucket is used, from the time elapsed since
 * it was last used — read from a monotonic clock the caller passes in (milliseconds, as
 * `performance.now()` gives them), so a bucket costs nothing while nobody touches it and tests can
 * drive it with a fake clock. The level may go below zero: a server that learns how many
 * requests a client sent only after serving them pays for them with
 * {@link TokenBucket.charge | charge}, and the debt makes the client wait longer, so the rate
 * still holds over time.
 * @module
 */

/**
 * How much less than a whole token still counts as one. The refill is floating point: 1000 ms at
 * 26 a second, earned over 26 readings, can sum to 0.9999999999999998 — and a client exactly at
 * the rate would be refused by a rounding error.
 */
const EPSILON = 1e-9;

/** One client's allowance of requests. */
export class TokenBucket {
  private level: number;
  private lastMs: number;

  /**
   * A full bucket at `nowMs`. `rate`: tokens gained per second (> 0); `burst`: the most it holds
   * (≥ 1, or no request could ever pass).
   */
  constructor(
    private rate: number,
    private burst: number,
    nowMs: number,
  ) {
    this.level = burst;
    this.lastMs = nowMs;
  }

  /** Adds what the time since the last use earned, up to the burst. */
  private refill(nowMs: number): void {
    // A clock that seems to go back (another caller's older reading) earns nothing, rather than
    // taking tokens away.
    const elapsed = nowMs - this.lastMs;
    if (elapsed <= 0) return;
    this.lastMs = nowMs;
    this.level = Math.min(this.burst, this.level + (elapsed * this.rate) / 1000);
  }

  /** Tokens in the bucket at `nowMs` (negative while in debt). */
  tokens(nowMs: number): number {
    this.refill(nowMs);
    return this.level;
  }

  /** Spends `count` tokens if the bucket holds them; returns whether it did. */
  take(nowMs: number, count = 1): boolean {
    this.refill(nowMs);
    if (this.level + EPSILON < count) return false;
    this.level -= count;
    return true;
  }

  /** Spends `count` tokens whether or not they are there: requests already served are paid for. */
  charge(nowMs: number, count: number): void {
    this.refill(nowMs);
    this.level -= count;
  }

  /** Milliseconds from `nowMs` until the bucket holds `count` tokens (0 if it does now). */
  waitMs(nowMs: number, count = 1): number {
    this.refill(nowMs);
    const missing = count - this.level;
    return missing <= EPSILON ? 0 : (missing * 1000) / this.rate;
  }

  /** Whether the bucket is full at `nowMs`: it then remembers nothing a new bucket would not. */
  full(nowMs: number): boolean {
    return this.tokens(nowMs) + EPSILON >= this.burst;
  }

  /** New limits (a reload): what was earned so far is kept, up to the new burst. */
  setLimits(nowMs: number, rate: number, burst: number): void {
    this.refill(nowMs);
    this.rate = rate;
    this.burst = burst;
    this.level = Math.min(this.level, burst);
  }
}
