/**
 * Value → bucket and bucket → value for the log-linear scheme in histogram-geometry.ts, with bit
 * arithmetic only: the position of a value's highest set bit (Math.clz32) says which power of two
 * it is in, and the next SUB_BUCKET_BITS bits below it say which sub-bucket. No loop, no
 * allocation, no logarithm (Math.log2 is slower and rounds wrongly near powers of two).
 * @module
 */
import { SUB_BUCKET_BITS, UNIT_RANGE } from './histogram-geometry.ts';

/** 2^32, where a value stops fitting the 32 bits Math.clz32 and `>>>` work on. */
const TWO_POW_32 = 2 ** 32;

/**
 * For a 32-bit value whose highest set bit is bit k = 31 − clz32(v), the shift that keeps its top
 * SUB_BUCKET_BITS + 1 bits is k − SUB_BUCKET_BITS = 24 − clz32(v).
 */
const SHIFT_BASE_32 = 31 - SUB_BUCKET_BITS;

/** The same for a value of 2^32 or more, whose highest bit is in its upper word: (63 − clz32(high)) − 7. */
const SHIFT_BASE_64 = 63 - SUB_BUCKET_BITS;

/**
 * The bucket a value in nanoseconds falls in: for values below 256 the value itself; above, the
 * value's power of two picks a block of 128 buckets and its next 7 bits the bucket within it.
 * `value` must be a whole number in [0, VALUE_LIMIT); the histogram clamps before calling.
 */
export function bucketIndex(value: number): number {
  if (value < TWO_POW_32) {
    const v = value >>> 0;
    // Negative for small values (clz32 > 24): those stay unshifted, one bucket per nanosecond.
    const shift = SHIFT_BASE_32 - Math.clz32(v);
    if (shift <= 0) return v;
    // (v >>> shift) is in [128, 256): block `shift` holds buckets shift·128 + [128, 256).
    return (shift << SUB_BUCKET_BITS) + (v >>> shift);
  }
  // Rare (over 4.3 s): the top bit sits in the upper word; divide instead of shift, which is exact
  // for powers of two in a double.
  const shift = SHIFT_BASE_64 - Math.clz32(Math.floor(value / TWO_POW_32));
  return (shift << SUB_BUCKET_BITS) + Math.floor(value / 2 ** shift);
}

/** The smallest value in bucket `index` (the inverse of {@link bucketIndex}). */
export function bucketLowerBound(index: number): number {
  if (index < UNIT_RANGE) return index;
  // index = shift·128 + sub with sub in [128, 256), so index >>> 7 = shift + 1.
  const shift = (index >>> SUB_BUCKET_BITS) - 1;
  const sub = index - (shift << SUB_BUCKET_BITS);
  return sub * 2 ** shift;
}
