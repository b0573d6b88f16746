/**
 * The edge's view of one connection: when it last sent a byte, since when it has held half a
 * request, and its client's token bucket. After each turn the connection reports how many
 * requests it served; they are charged to the bucket (after the fact, so the bucket may go into
 * debt), and while the bucket is short of a token the connection is held (delay mode: not read,
 * so TCP pushes back on the client) or refuses its requests (reject mode) — until one timer, set
 * for the moment the bucket will hold a token again, lets it go. Deadlines are checked by the
 * guard's one sweep over every watch, not by a timer per connection.
 * @module
 */
import type { ConnectionWatch, GuardedConnection } from '../../../shared/runtime/connection-guard.ts';
import type { GuardCounters } from '../../../shared/runtime/guard-counters.ts';
import type { BucketEntry, BucketTable } from './bucket-table.ts';
import type { RateLimit } from './edge-limits.ts';

/** What a watch reads from its guard. */
export interface WatchContext {
  /** The guard's coarse clock (performance.now() at its last sweep), for the deadlines. */
  readonly now: number;
  readonly rateLimit: RateLimit;
  readonly buckets: BucketTable;
  readonly counters: GuardCounters;
}

/** One watched connection. */
export class EdgeWatch implements ConnectionWatch {
  /** The coarse time of the last read (up to one sweep tick earlier than the read itself). */
  lastReadMs: number;
  /** When the connection began to hold half a request (performance.now()); −1 while it holds none. */
  partialSinceMs = -1;
  /** Held for the rate limit: the deadlines do not run while the server is the one not reading. */
  held = false;
  /** Closed by a deadline (its socket's close event follows). */
  kicked = false;
  private refusing = false;
  private entry: BucketEntry | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: WatchContext,
    readonly connection: GuardedConnection,
    /** The client's bucket key: its source address. */
    readonly key: string,
  ) {
    this.lastReadMs = context.now;
  }

  read(): void {
    this.lastReadMs = this.context.now;
  }

  turn(served: number, partial: boolean, refused = false): void {
    // The exact time, read once a partial request begins (rare: most requests come whole), so the
    // deadline is never early; reads only take the coarse clock, and the idle check allows for it.
    if (!partial) this.partialSinceMs = -1;
    else if (this.partialSinceMs < 0) this.partialSinceMs = performance.now();
    // Refused requests cost no tokens (the session's thread counts them in rate_limit_rejects).
    if (served === 0 || refused) return;
    const limit = this.context.rateLimit;
    if (limit.rate === 0) return;
    const now = performance.now();
    // Acquired on first use, so a rate limit switched on by SIGHUP reaches open connections too.
    this.entry ??= this.context.buckets.acquire(this.key, now);
    this.entry.bucket.charge(now, served);
    if (this.timer !== undefined || this.entry.bucket.waitMs(now) === 0) return;
    // Wait for a hundredth of a second's tokens, not one: at 1,000 a second a timer per request
    // would fire 1,000 times a second, and each firing's lateness (≥ 1 ms) would cost 5 % of the rate.
    const waitMs = this.entry.bucket.waitMs(now, Math.min(limit.burst, Math.max(1, Math.floor(limit.rate / 100))));
    if (limit.mode === 'delay') {
      this.held = true;
      this.context.counters.add('rate_limit_delays');
      this.connection.hold();
    } else {
      this.refusing = true;
      this.connection.refuse(true);
    }
    // Rounded up: released a little late the bucket holds its token; a little early, it does not.
    this.timer = setTimeout(this.refilled, Math.ceil(waitMs));
  }

  allowance(max: number): number {
    const limit = this.context.rateLimit;
    // Refusing costs nothing: a refusing turn may take as many requests as any other.
    if (limit.rate === 0 || this.refusing) return max;
    const now = performance.now();
    this.entry ??= this.context.buckets.acquire(this.key, now);
    // At least one, so that a turn is served, charged, and — short of tokens — followed by the hold.
    return Math.max(1, Math.min(max, Math.floor(this.entry.bucket.tokens(now) + 1e-9)));
  }

  /** The bucket holds a token again. */
  private readonly refilled = (): void => {
    this.timer = undefined;
    if (this.held) {
      this.held = false;
      // The client could not send while held: its partial request's deadline starts afresh.
      if (this.partialSinceMs >= 0) this.partialSinceMs = performance.now();
      this.connection.release();
    }
    if (this.refusing) {
      this.refusing = false;
      this.connection.refuse(false);
    }
  };

  /** The connection closed: its timer stops and its bucket is given back to the table. */
  closed(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.entry !== null) this.context.buckets.release(this.entry);
    this.entry = null;
  }
}
