/**
 * The fixed `le` bounds of `kvlab_request_duration_seconds`, and the conversion from an HDR
 * snapshot to counts at those bounds. Prometheus needs the same bounds in every scrape and on every
 * instance to add histograms up, so they are constants, not derived from the data.
 * @module
 */
import type { BucketedHistogram } from './histogram-exposition.ts';
import { bucketHighestValue, type HistogramSnapshot } from './histogram-snapshot.ts';

/**
 * 1 µs … 10 s in 1–2.5–5 steps (22 bounds, plus +Inf): a get from memory executes in a few
 * microseconds, so the low end needs microsecond resolution that Prometheus' default buckets
 * (5 ms and up) lack; the top still catches a request stuck for seconds.
 */
export const DURATION_BOUNDS_SECONDS: readonly number[] = [
  0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The same bounds in nanoseconds, the histograms' unit (whole numbers: 1,000 … 10,000,000,000). */
const BOUNDS_NS = DURATION_BOUNDS_SECONDS.map((seconds) => Math.round(seconds * 1e9));

/** Nanoseconds per second. */
const NS_PER_SECOND = 1e9;

/**
 * Counts an HDR snapshot at DURATION_BOUNDS_SECONDS. An HDR bucket counts under the first bound
 * that its whole range lies at or below, so a value within one bucket width (≤ 0.78 %) under a
 * bound may be counted in the next one up — never the other way.
 */
export function durationBuckets(snapshot: HistogramSnapshot): BucketedHistogram {
  const counts = new Array<number>(BOUNDS_NS.length + 1).fill(0);
  let bound = 0;
  for (let i = 0; i <= snapshot.maxIndex; i++) {
    const count = snapshot.counts[i]!;
    if (count === 0) continue;
    const highest = bucketHighestValue(i);
    while (bound < BOUNDS_NS.length && highest > BOUNDS_NS[bound]!) bound++;
    counts[bound]! += count;
  }
  return { bounds: DURATION_BOUNDS_SECONDS, counts, sum: snapshot.sum / NS_PER_SECOND };
}
