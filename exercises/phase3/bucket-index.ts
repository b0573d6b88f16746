/**
 * Exercise 3.2 — the bucket index of an HDR (log-linear) latency histogram: which bucket a value
 * in nanoseconds falls in, and where a bucket starts, with bit arithmetic only. Stands in for
 * phases/phase3/metrics/bucket-index.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

// Given: the scheme's constants live in phases/phase3/metrics/histogram-geometry.ts, which the
// real module reads too. Import the ones your code needs (SUB_BUCKET_BITS, UNIT_RANGE) from there.

/**
 * TODO: values below UNIT_RANGE (256) are their own bucket. Above, let k be the position of the
 * value's highest set bit (31 − Math.clz32(v)) and shift = k − SUB_BUCKET_BITS (7): the bucket is
 * `shift × 128 + (value >>> shift)`. Values of 2^32 and more do not fit `>>>`: take the highest bit
 * from the upper word (Math.floor(value / 2^32)) and divide by 2^shift instead of shifting.
 * Why: each power of two gets 128 equal buckets, so every bucket is at most 1/128 of its values
 * wide — 2 significant digits at 300 ns and at 30 s alike, in 3,840 counters and no logarithm.
 */
export function bucketIndex(value: number): number {
  return todo('bucketIndex', value);
}

/**
 * TODO: the smallest value in bucket `index` — the inverse of bucketIndex. Below UNIT_RANGE it is
 * the index itself; above, shift = (index >>> 7) − 1 and the sub-bucket is index − shift × 128,
 * so the bound is sub-bucket × 2^shift. Why: percentiles and Prometheus' `le` bounds are read
 * back from bucket numbers, so the two directions must agree exactly.
 */
export function bucketLowerBound(index: number): number {
  return todo('bucketLowerBound', index);
}
