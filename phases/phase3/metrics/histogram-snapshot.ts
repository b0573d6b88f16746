/**
 * A latency histogram frozen at one moment, in the thread that read it: plain arrays, nothing
 * shared. Percentiles, the mean and merging are computed here, away from the recording path.
 * @module
 */
import { bucketLowerBound } from './bucket-index.ts';
import { BUCKET_COUNT } from './histogram-geometry.ts';

/** The largest value that falls in bucket `index` (HDR's "highest equivalent value"). */
export function bucketHighestValue(index: number): number {
  return bucketLowerBound(index + 1) - 1;
}

/** Counts per bucket, the exact sum and the highest bucket used, as read from a histogram. */
export class HistogramSnapshot {
  /** Observations per bucket (index as bucketIndex gives it). */
  readonly counts: Float64Array;
  /** Sum of every recorded value, exact, in nanoseconds. */
  sum: number;
  /** Highest bucket recorded into, or −1 when empty. */
  maxIndex: number;

  constructor(counts = new Float64Array(BUCKET_COUNT), sum = 0, maxIndex = -1) {
    this.counts = counts;
    this.sum = sum;
    this.maxIndex = maxIndex;
  }

  /** How many values were recorded. */
  get count(): number {
    let total = 0;
    for (let i = 0; i <= this.maxIndex; i++) total += this.counts[i]!;
    return total;
  }

  /** The largest value recorded, to the histogram's precision (its bucket's highest value); 0 when empty. */
  get max(): number {
    return this.maxIndex < 0 ? 0 : bucketHighestValue(this.maxIndex);
  }

  /** The mean in nanoseconds (exact: from the sum, not the buckets); 0 when empty. */
  get mean(): number {
    const count = this.count;
    return count === 0 ? 0 : this.sum / count;
  }

  /**
   * The value at quantile `q` (0 … 1): the highest value of the bucket holding the ⌈q·count⌉-th
   * smallest observation, so a percentile is never reported below a value it covers. q = 0 gives
   * the lowest bucket's lower bound. 0 when empty. Same rule as HdrHistogram's getValueAtPercentile.
   */
  percentile(q: number): number {
    const count = this.count;
    if (count === 0) return 0;
    const exact = Math.min(Math.max(q, 0), 1) * count;
    // Minus one ulp's worth: 0.3 × 10 computes as 3.0000000000000004, whose ceiling would be 4.
    const rank = Math.max(1, Math.ceil(exact - exact * Number.EPSILON));
    let seen = 0;
    for (let i = 0; i <= this.maxIndex; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return q <= 0 ? bucketLowerBound(i) : bucketHighestValue(i);
    }
    return this.max;
  }

  /** Adds `other` into this snapshot (histograms of several threads, processes or labels). */
  merge(other: HistogramSnapshot): this {
    for (let i = 0; i <= other.maxIndex; i++) this.counts[i]! += other.counts[i]!;
    this.sum += other.sum;
    this.maxIndex = Math.max(this.maxIndex, other.maxIndex);
    return this;
  }

  /** A copy that later merges do not change. */
  clone(): HistogramSnapshot {
    return new HistogramSnapshot(this.counts.slice(), this.sum, this.maxIndex);
  }
}
