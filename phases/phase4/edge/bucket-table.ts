/**
 * The rate limiter's buckets, one per client key (a source address), in a table whose size is
 * bounded however many addresses come and go. A bucket in use by a connection is kept; one whose
 * connections have all closed is kept while it still remembers something — tokens spent — so a
 * client cannot reset its allowance by reconnecting, and is dropped once it has refilled, when it
 * is the same as a new one. Past the bound, the least recently acquired unused bucket goes first.
 * @module
 */
import { TokenBucket } from './token-bucket.ts';

/** One client's bucket and how many of its connections use it. */
export interface BucketEntry {
  readonly key: string;
  readonly bucket: TokenBucket;
  users: number;
}

/** Buckets by client key, at most `capacity` of them unused. */
export class BucketTable {
  /** In order of last acquisition (a Map keeps insertion order; acquiring moves a key to the end). */
  private readonly entries = new Map<string, BucketEntry>();

  constructor(
    private rate: number,
    private burst: number,
    /** Unused buckets kept at most; buckets in use are never dropped (the connection limit bounds them). */
    private readonly capacity: number,
  ) {}

  /** How many buckets the table holds. */
  get size(): number {
    return this.entries.size;
  }

  /** The bucket of `key`, made full if the client has none; the caller must {@link release} it. */
  acquire(key: string, nowMs: number): BucketEntry {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.capacity) this.prune(nowMs);
      entry = { key, bucket: new TokenBucket(this.rate, this.burst, nowMs), users: 0 };
    } else {
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    entry.users++;
    return entry;
  }

  /** A connection stopped using `entry`. */
  release(entry: BucketEntry): void {
    entry.users--;
  }

  /**
   * Drops every unused bucket that has refilled; if the table is still at its bound, the least
   * recently acquired unused ones too, until there is room for one more.
   */
  prune(nowMs: number): void {
    for (const entry of this.entries.values()) {
      if (entry.users === 0 && entry.bucket.full(nowMs)) this.entries.delete(entry.key);
    }
    for (const entry of this.entries.values()) {
      if (this.entries.size < this.capacity) break;
      if (entry.users === 0) this.entries.delete(entry.key);
    }
  }

  /** New limits for every bucket, and for those made from now on (SIGHUP). */
  setLimits(nowMs: number, rate: number, burst: number): void {
    this.rate = rate;
    this.burst = burst;
    for (const entry of this.entries.values()) entry.bucket.setLimits(nowMs, rate, burst);
  }
}
