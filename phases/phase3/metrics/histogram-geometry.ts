/**
 * The bucket scheme of the latency histograms, as named constants: log-linear ("HDR") buckets over
 * nanoseconds. Values below 2^(SUB_BUCKET_BITS + 1) each get their own bucket; every power of two
 * above is split into 2^SUB_BUCKET_BITS equal sub-buckets, so a bucket is never wider than
 * 1/2^SUB_BUCKET_BITS of the values it holds.
 * @module
 */

/**
 * Sub-buckets per power of two, as a bit count: 2^7 = 128, so a bucket spans at most 1/128 ≈ 0.78 %
 * of its lower bound — better than 2 significant decimal digits (1 %). It is the geometry
 * hdr-histogram-js builds for `numberOfSignificantValueDigits: 2` (it rounds 2 × 10^2 up to 256
 * unit buckets, half of which start each power of two), so the two agree bucket for bucket.
 */
export const SUB_BUCKET_BITS = 7;

/** Sub-buckets in each power of two above the unit range (128). */
export const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

/** Values below this (256 ns) are counted exactly, one bucket per nanosecond. */
export const UNIT_RANGE = SUB_BUCKETS << 1;

/**
 * The largest recorded value is 2^36 − 1 ns ≈ 68.7 s; anything longer is counted in the last
 * bucket. A request that executes for over a minute is a hang, not a latency, and each further
 * power of two would cost 128 more slots in every histogram.
 */
export const HIGHEST_VALUE_BITS = 36;

/** One past the largest value with a bucket of its own: 2^36 ns. */
export const VALUE_LIMIT = 2 ** HIGHEST_VALUE_BITS;

/**
 * Buckets in one histogram: the unit range (2 × 128) plus 128 for each power of two from 2^8 to
 * 2^35 — (36 − 7 + 1) × 128 = 3,840.
 */
export const BUCKET_COUNT = (HIGHEST_VALUE_BITS - SUB_BUCKET_BITS + 1) << SUB_BUCKET_BITS;

/** The relative precision the scheme promises: a bucket's width over its lower bound, at most 1/128. */
export const RELATIVE_PRECISION = 1 / SUB_BUCKETS;
