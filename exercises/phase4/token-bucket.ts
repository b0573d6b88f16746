/**
 * Exercise 4.4 — the token bucket: the rate limiter phase 4's edge keeps for each client. The
 * bucket holds up to `burst` tokens and earns `rate` a second; a request spends one. No timer
 * refills it: each use first adds what the time since the last use earned, read from a clock the
 * caller passes in. Stands in for phases/phase4/edge/token-bucket.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

/** One client's allowance of requests. */
export class TokenBucket {
  // Given: the bucket's state. `level` may go below zero (see charge).
  private level: number;
  private lastMs: number;

  /** A full bucket at `nowMs`: `rate` tokens a second, at most `burst` held. */
  constructor(
    private rate: number,
    private burst: number,
    nowMs: number,
  ) {
    this.level = burst;
    this.lastMs = nowMs;
  }

  /**
   * TODO: add what the time since `lastMs` earned — `rate` tokens a second, the clock counts
   * milliseconds — never beyond `burst`, and move `lastMs` to `nowMs`. A clock that seems to go
   * back (nowMs < lastMs) earns nothing and must not take tokens away.
   * Why no timer: a server with 10,000 clients would run 10,000 timers to refill buckets nobody
   * is using; computed on use, an idle bucket costs nothing at all.
   */
  private refill(nowMs: number): void {
    todo('refill', nowMs, { level: this.level, lastMs: this.lastMs, rate: this.rate, burst: this.burst });
  }

  /** Tokens in the bucket at `nowMs` (negative while in debt). */
  tokens(nowMs: number): number {
    this.refill(nowMs);
    return this.level;
  }

  /**
   * TODO: refill, then spend `count` tokens if the bucket holds them and return true; otherwise
   * spend nothing and return false. Compare with a little slack (1e-9): the refill is floating
   * point, and 1000 ms at 26 a second, earned over 26 uses, can sum to 0.9999999999999998 — a
   * client exactly at its rate must not be refused by a rounding error.
   */
  take(nowMs: number, count = 1): boolean {
    return todo('take', nowMs, count);
  }

  /** Spends `count` tokens whether or not they are there: requests already served are paid for. */
  charge(nowMs: number, count: number): void {
    this.refill(nowMs);
    this.level -= count;
  }

  /**
   * TODO: refill, then the milliseconds until the bucket holds `count` tokens: 0 if it does now
   * (with the same slack as take), else the missing tokens divided by the rate, in ms.
   * Why: a server that stops reading a client over its rate (delay mode) sets ONE timer for
   * exactly this long, and one that refuses (reject mode) knows when to serve again.
   */
  waitMs(nowMs: number, count = 1): number {
    return todo('waitMs', nowMs, count);
  }

  /** Whether the bucket is full at `nowMs`: it then remembers nothing a new bucket would not. */
  full(nowMs: number): boolean {
    return this.tokens(nowMs) + 1e-9 >= this.burst;
  }

  /** New limits (a reload): what was earned so far is kept, up to the new burst. */
  setLimits(nowMs: number, rate: number, burst: number): void {
    this.refill(nowMs);
    this.rate = rate;
    this.burst = burst;
    this.level = Math.min(this.level, burst);
  }
}
