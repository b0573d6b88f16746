/**
 * Exercise 1.2 — incr and decr, exactly as memcached does them: read the stored bytes as an
 * unsigned 64-bit number, then add or subtract. Stands in for shared/store/counter-value.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

/** The largest counter: 2^64 − 1 (memcached's uint64_t). */
export const MAX_COUNTER = 2n ** 64n - 1n;

/**
 * Reads `bytes[start, end)` as memcached's incr/decr do, or returns undefined for "non-numeric".
 *
 * TODO: skip leading whitespace (space, \t \n \v \f \r); accept one optional `+` or `-`; then at
 * least one decimal digit. After the digits only a whitespace byte, a NUL (0x00) or the end may
 * come. The value must fit in 64 bits, and a `-` is allowed only before zero. Why: memcached uses
 * C's strtoull and clients rely on its leniency (" 12", "12 x" and "+12" are all 12), but "12x",
 * "-1" and 2^64 are not numbers and must get memcached's error.
 */
export function parseCounter(bytes: Buffer, start: number, end: number): bigint | undefined {
  return todo('parseCounter', bytes, start, end);
}

/**
 * TODO: incr is `value + delta` wrapped at 2^64 (MAX_COUNTER + 1 → 0); decr is `value − delta`,
 * but never below 0. Why: that is the wire contract — counters wrap upwards and floor at zero.
 */
export function applyDelta(value: bigint, incr: boolean, delta: bigint): bigint {
  return todo('applyDelta', value, incr, delta);
}
