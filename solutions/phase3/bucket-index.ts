/**
 * Reference answer to exercise 3.2 (bucket-index): the module phase 3's histograms run,
 * phases/phase3/metrics/bucket-index.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - `24 − Math.clz32(v)` is the shift in one instruction: clz32 counts the zero bits above the
 *   highest set bit, so 31 − clz32 is that bit's position, and 7 bits below it are kept.
 * - A shift ≤ 0 means the value is below 256 and is its own bucket — the same formula would give
 *   the same answer, but JavaScript's `>>>` takes its count modulo 32, so a negative shift would not.
 * - Above 2^32 the value no longer fits 32-bit operators; dividing by a power of two is exact in a
 *   double, so `Math.floor(value / 2 ** shift)` is the shift done in floating point.
 * - No Math.log2: it is slower, and rounding puts 2^k − 1 and 2^k on the wrong sides for large k.
 * @module
 */
export * from '../../phases/phase3/metrics/bucket-index.ts';
