/**
 * incr/decr's view of a value: memcached reads it with strtoull (optional leading whitespace, an
 * optional sign, decimal digits, then whitespace, NUL or the end), incr wraps at 2^64, decr stops at 0.
 * @module
 */

/** The largest counter: 2^64 − 1 (memcached's uint64_t). */
export const MAX_COUNTER = 2n ** 64n - 1n;
/** 2^64 has 20 decimal digits, so a number with more significant digits cannot fit. */
const MAX_DIGITS = 20;

const PLUS = 0x2b;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const NUL = 0x00;
const SPACE = 0x20;
/** C's isspace() in the "C" locale: space and \t \n \v \f \r (0x09–0x0d). */
const TAB = 0x09;
const CARRIAGE_RETURN = 0x0d;

function isSpace(byte: number): boolean {
  return byte === SPACE || (byte >= TAB && byte <= CARRIAGE_RETURN);
}

function isDigit(byte: number): boolean {
  return byte >= DIGIT_0 && byte <= DIGIT_9;
}

/**
 * Reads `bytes[start, end)` as memcached 1.6's incr/decr do, or returns undefined when memcached
 * would answer "non-numeric". Measured on memcached 1.6.18: `" 12"`, `"+12"`, `"12 x"`, `"12\0"`
 * and `"000…0012"` (any length) are all 12; `""`, `" "`, `"12x"`, `"0x5"`, `"-1"` and 2^64 are not
 * numbers. One deliberate difference: memcached's strtoull turns `"-18446744073709551615"` into 1;
 * here a minus sign is accepted only before zero (`"-0"` is 0, as in memcached).
 */
export function parseCounter(bytes: Buffer, start: number, end: number): bigint | undefined {
  let i = start;
  while (i < end && isSpace(bytes[i]!)) i++;
  let negative = false;
  if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) negative = bytes[i++] === MINUS;
  const digitsStart = i;
  while (i < end && isDigit(bytes[i]!)) i++;
  if (i === digitsStart) return undefined;
  // strtoull stops at the first non-digit; memcached accepts the number only if that is a space,
  // a NUL, or the end of the value (where its own buffer holds "\r\n").
  if (i < end && !isSpace(bytes[i]!) && bytes[i] !== NUL) return undefined;

  let significant = digitsStart;
  while (significant < i - 1 && bytes[significant] === DIGIT_0) significant++;
  if (i - significant > MAX_DIGITS) return undefined;
  const value = BigInt(bytes.toString('latin1', significant, i));
  if (value > MAX_COUNTER) return undefined;
  if (negative && value !== 0n) return undefined;
  return value;
}

/** incr: `value + delta` modulo 2^64. decr: `value − delta`, but never below 0. */
export function applyDelta(value: bigint, incr: boolean, delta: bigint): bigint {
  if (incr) return (value + delta) & MAX_COUNTER;
  return value > delta ? value - delta : 0n;
}
