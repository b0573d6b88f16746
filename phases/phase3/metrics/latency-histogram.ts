/**
 * A latency histogram in a SharedArrayBuffer: every thread that builds one over the same buffer and
 * offset records into the same counts, so each figure (percentiles, count, sum, max) covers all
 * threads. Buckets are log-linear (see histogram-geometry.ts): 2 significant digits over
 * 0 ns … 68.7 s. Recording is three Atomics operations and no allocation; reading copies the
 * counts out into a {@link HistogramSnapshot}.
 *
 * Layout at `byteOffset` (8-byte aligned): `[Int32 max bucket + 1][pad][FoldingCounters: one per
 * bucket, then the sum]` — see folding-counters.ts for why counts are Int32 plus a folded Float64.
 * @module
 */
import { bucketIndex } from './bucket-index.ts';
import { FoldingCounters, foldingCountersBytes, type FoldingOptions } from './folding-counters.ts';
import { BUCKET_COUNT, VALUE_LIMIT } from './histogram-geometry.ts';
import { HistogramSnapshot } from './histogram-snapshot.ts';

/** Int32 slot 0: the highest bucket recorded into, plus one (0 = nothing recorded). Only ever raised, with compareExchange. */
const MAX_SLOT = 0;
/** The header is 8 bytes, so the counters after it stay 8-byte aligned for their Float64 block. */
const HEADER_BYTES = 8;
/** Counter index of the sum; counters 0 … BUCKET_COUNT − 1 are the buckets. */
const SUM_COUNTER = BUCKET_COUNT;

/** How a histogram is written: by any thread (the default) or by one only; see folding-counters.ts. */
export type HistogramOptions = FoldingOptions;

/** An HDR-style latency histogram over nanoseconds, shared between threads. */
export class LatencyHistogram {
  /** Bytes one histogram takes in a buffer (about 45 KiB). */
  static readonly BYTES = HEADER_BYTES + foldingCountersBytes(BUCKET_COUNT + 1);

  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  private readonly header: Int32Array;
  private readonly counters: FoldingCounters;

  /** A histogram over `buffer` at `byteOffset` (new zeroed memory, or one another thread records into). */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(LatencyHistogram.BYTES), byteOffset = 0, options: HistogramOptions = {}) {
    if (byteOffset + LatencyHistogram.BYTES > buffer.byteLength) throw new RangeError('the buffer is too small for a histogram at this offset');
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.header = new Int32Array(buffer, byteOffset, 1);
    this.counters = new FoldingCounters(buffer, byteOffset + HEADER_BYTES, BUCKET_COUNT + 1, options);
  }

  /**
   * Records one value in nanoseconds. Fractions are dropped, negatives and NaN count as 0, and
   * values of 68.7 s or more land in the last bucket (their exact amount still goes into the sum).
   */
  record(nanoseconds: number): void {
    // `NaN > 0` is false, so NaN counts as 0; Infinity is capped where a double is still exact.
    const whole = nanoseconds > 0 ? Math.floor(Math.min(nanoseconds, Number.MAX_SAFE_INTEGER)) : 0;
    const index = bucketIndex(whole < VALUE_LIMIT ? whole : VALUE_LIMIT - 1);
    this.counters.add(index, 1);
    this.counters.add(SUM_COUNTER, whole);
    // Almost always one load and a compare: the maximum stops moving once traffic has warmed up.
    if (index >= Atomics.load(this.header, MAX_SLOT)) this.raiseMax(index + 1);
  }

  /** Copies the counts out, consistent with each other (read under the counters' lock). */
  snapshot(): HistogramSnapshot {
    const all = new Float64Array(BUCKET_COUNT + 1);
    this.counters.readAll(all);
    const sum = all[SUM_COUNTER]!;
    // The max slot may run ahead of the counts by a record in flight; trust the counts.
    let maxIndex = Math.min(Atomics.load(this.header, MAX_SLOT), BUCKET_COUNT) - 1;
    while (maxIndex >= 0 && all[maxIndex] === 0) maxIndex--;
    return new HistogramSnapshot(all.subarray(0, BUCKET_COUNT), sum, maxIndex);
  }

  /** The value at quantile `q` (0 … 1), in nanoseconds; see {@link HistogramSnapshot.percentile}. */
  percentile(q: number): number {
    return this.snapshot().percentile(q);
  }

  /** Values recorded. */
  count(): number {
    return this.snapshot().count;
  }

  /** Sum of the values recorded, in nanoseconds. */
  sum(): number {
    return this.counters.read(SUM_COUNTER);
  }

  /** The largest value recorded, to the histogram's precision. */
  max(): number {
    return this.snapshot().max;
  }

  /** Adds a snapshot's counts (another process's, or a saved one) into this histogram. */
  merge(other: HistogramSnapshot): void {
    for (let i = 0; i <= other.maxIndex; i++) {
      const count = other.counts[i]!;
      if (count > 0) this.counters.add(i, count);
    }
    this.counters.add(SUM_COUNTER, other.sum);
    if (other.maxIndex >= 0) this.raiseMax(other.maxIndex + 1);
  }

  /** Forgets everything recorded (memcached's `stats reset`). */
  reset(): void {
    this.counters.reset();
    Atomics.store(this.header, MAX_SLOT, 0);
  }

  /** Raises the max slot to `slot` unless another thread got it higher first. */
  private raiseMax(slot: number): void {
    let current = Atomics.load(this.header, MAX_SLOT);
    while (current < slot) {
      const seen = Atomics.compareExchange(this.header, MAX_SLOT, current, slot);
      if (seen === current) return;
      current = seen;
    }
  }
}
