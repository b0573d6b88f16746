/**
 * Counters that any thread adds to without a lock and that never overflow: each counter is an
 * Int32 "pending" slot that recorders bump with one Atomics.add, plus a Float64 "folded" total
 * (exact to 2^53) that pending counts are moved into under a small lock. Why not one 64-bit slot:
 * Atomics on a BigInt64Array return a BigInt, and that allocates on every add (measured: ~500
 * scavenges per 20M adds, none for Int32). A recorder folds its slot itself when the pending count
 * passes FOLD_AT, so a slot is folded long before it could reach 2^31, even if nobody reads.
 *
 * A set of counters that only one thread ever adds to (`singleWriter`) skips even the Atomics.add:
 * its pending slots are bumped with plain reads and writes — an Int32 is never torn, so a reader
 * sees the count before or after an add — and only a fold takes the lock. request-metrics.ts gives
 * each thread counters of its own this way and sums them when read (an Atomics.add costs 15–30 ns
 * here, a plain add about 3: `node --import tsx phases/phase3/metrics/observe-bench.ts`).
 *
 * Layout in the SharedArrayBuffer (at `byteOffset`, 8-byte aligned):
 * `[Int32 lock][Int32 pending × n][pad to 8][Float64 folded × n]`.
 * @module
 */

/** Int32 slot 0: 0 = free, 1 = held. Guards every plain read and write of the folded totals. */
const LOCK = 0;
/** Pending counts start after the lock word. */
const PENDING_START = 1;

/**
 * A pending count is folded once it reaches 2^30: half of the Int32 range. The recorder that sees
 * it tries the lock and, if another thread holds it, carries on: the holder may only be briefly
 * busy. Once past 1.5 × FOLD_AT it waits for the lock instead — a holder can be preempted by the
 * OS for milliseconds, long enough for thousands of adds — so each thread lands at most one add
 * beyond that point, and the last 2^29 of headroom covers 2^29 / FAST_ADD_LIMIT = 32 threads.
 */
export const FOLD_AT = 2 ** 30;

/**
 * Adds below 2^24 (16.7 ms in nanoseconds) go through the pending slot; larger ones take the lock
 * and go straight to the folded total. They are rare (a request that long is an outlier) and the
 * bound keeps the headroom argument above true.
 */
export const FAST_ADD_LIMIT = 2 ** 24;

/**
 * A reader gives up waiting for the lock after this many tries (about a millisecond of spinning):
 * a thread terminated inside its few-instruction critical section must not hang the scrape.
 * Figures read without the lock may miss one in-flight fold; they are never torn for long.
 */
const SPIN_LIMIT = 1_000_000;

/** Bytes for `count` counters (the folded totals start 8-byte aligned). */
export function foldingCountersBytes(count: number): number {
  return foldedOffset(count) + count * 8;
}

/** Where the Float64 block starts, relative to the counters' own offset. */
function foldedOffset(count: number): number {
  return Math.ceil(((PENDING_START + count) * 4) / 8) * 8;
}

/** Options of a set of counters. */
export interface FoldingOptions {
  /** The pending count that triggers a fold (default FOLD_AT; smaller in tests, to reach the fold path). */
  readonly foldAt?: number;
  /** Only this thread adds (other threads may read): adds are plain, not Atomics (see above). */
  readonly singleWriter?: boolean;
}

/** `count` counters over `buffer` at `byteOffset`, shared by every thread that builds one there. */
export class FoldingCounters {
  /** Lock word and pending counts: touched only with Atomics. */
  private readonly ints: Int32Array;
  /** Folded totals: plain reads and writes, only while holding LOCK. */
  private readonly folded: Float64Array;
  readonly count: number;
  /** The pending count that triggers a fold. */
  private readonly foldAt: number;
  /** 1.5 × foldAt: from here a recorder waits for the lock rather than skip the fold. */
  private readonly mustFoldAt: number;
  private readonly singleWriter: boolean;

  constructor(buffer: SharedArrayBuffer, byteOffset: number, count: number, options: FoldingOptions = {}) {
    if (byteOffset % 8 !== 0) throw new RangeError(`counters must start 8-byte aligned, not at ${byteOffset}`);
    const foldAt = options.foldAt ?? FOLD_AT;
    this.count = count;
    this.foldAt = foldAt;
    this.singleWriter = options.singleWriter ?? false;
    this.mustFoldAt = foldAt + foldAt / 2;
    this.ints = new Int32Array(buffer, byteOffset, PENDING_START + count);
    this.folded = new Float64Array(buffer, byteOffset + foldedOffset(count), count);
  }

  /** Adds `delta` (a whole number ≥ 0) to counter `index`. Lock-free unless `delta` is huge. */
  add(index: number, delta: number): void {
    if (this.singleWriter && delta < FAST_ADD_LIMIT) {
      // No other thread writes this slot, so read-add-write cannot lose an add; the one that
      // reaches the threshold folds, waiting for the lock (readers hold it only briefly).
      const slot = PENDING_START + index;
      const after = this.ints[slot]! + delta;
      this.ints[slot] = after;
      if (after >= this.foldAt) this.fold(index);
      return;
    }
    if (delta < FAST_ADD_LIMIT) {
      // Atomics.add: a read-modify-write no other thread's add can interleave with.
      const before = Atomics.add(this.ints, PENDING_START + index, delta);
      if (before >= this.foldAt) {
        if (before < this.mustFoldAt) this.tryFold(index);
        else this.fold(index);
      }
      return;
    }
    const locked = this.lock();
    this.folded[index]! += delta;
    if (locked) this.unlock();
  }

  /** Counter `index`: its folded total plus what is pending. */
  read(index: number): number {
    const locked = this.lock();
    const value = this.folded[index]! + Atomics.load(this.ints, PENDING_START + index);
    if (locked) this.unlock();
    return value;
  }

  /** Every counter into `target` (length ≥ count), read under one hold of the lock. */
  readAll(target: Float64Array): void {
    const locked = this.lock();
    for (let i = 0; i < this.count; i++) target[i] = this.folded[i]! + Atomics.load(this.ints, PENDING_START + i);
    if (locked) this.unlock();
  }

  /** Sets every counter to zero (memcached's `stats reset`); adds racing with it land either side. */
  reset(): void {
    const locked = this.lock();
    for (let i = 0; i < this.count; i++) {
      Atomics.store(this.ints, PENDING_START + i, 0);
      this.folded[i] = 0;
    }
    if (locked) this.unlock();
  }

  /** Moves slot `index`'s pending count into its total, unless another thread holds the lock (it will come round again). */
  private tryFold(index: number): void {
    // compareExchange is sequentially consistent: it orders the plain folded writes below after
    // every write the previous holder made before its releasing store.
    if (Atomics.compareExchange(this.ints, LOCK, 0, 1) !== 0) return;
    // exchange, not load + store: adds that land meanwhile stay pending instead of being lost.
    this.folded[index]! += Atomics.exchange(this.ints, PENDING_START + index, 0);
    this.unlock();
  }

  /** Moves slot `index`'s pending count into its total, waiting for the lock (see FOLD_AT). */
  private fold(index: number): void {
    if (!this.lock()) return;
    this.folded[index]! += Atomics.exchange(this.ints, PENDING_START + index, 0);
    this.unlock();
  }

  /** Spins until the lock is ours; false if it gave up after SPIN_LIMIT tries (see there). */
  private lock(): boolean {
    for (let tries = 0; tries < SPIN_LIMIT; tries++) {
      if (Atomics.compareExchange(this.ints, LOCK, 0, 1) === 0) return true;
    }
    return false;
  }

  /** Releases the lock: a sequentially consistent store publishes the folded writes before it. */
  private unlock(): void {
    Atomics.store(this.ints, LOCK, 0);
  }
}
