/**
 * What the text protocol's tokenizer is besides its lesson: the token boundaries of one line and
 * the readers built on them (token text and length, a prefix test, the 64-bit reader), and the
 * number syntax under every reader (memcached's C strtol: whitespace, sign, leading zeros), with
 * ranges judged on the digits before any arithmetic. text-tokens.ts (and exercise 1.3, which
 * stands in for it) adds splitting, the word and key tests, and the two readers the exercise teaches.
 * @module
 */

/** Bytes with names. */
export const SPACE = 0x20;
/** Carriage return, the first byte of the protocol line end. */
export const CR = 0x0d;
/** Line feed: ends a line (memcached accepts a bare LF too). */
export const LF = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
const TAB = 0x09;

/**
 * Tab, LF, VT, FF or CR: C's isspace() besides the space itself, which memcached's number readers
 * skip around a number (a space never reaches a token, and LF ends the line before it could).
 */
function isNumberSpace(byte: number): boolean {
  return byte >= TAB && byte <= CR;
}

function isDigit(byte: number): boolean {
  return byte >= DIGIT_0 && byte <= DIGIT_9;
}

/** The largest magnitudes memcached's 64-bit readers take, as digits to compare a token with. */
const INT64_MAX_DIGITS = Buffer.from('9223372036854775807', 'latin1');
const INT64_MIN_DIGITS = Buffer.from('9223372036854775808', 'latin1');
const UINT64_MAX_DIGITS = Buffer.from('18446744073709551615', 'latin1');
/** Digits that always fit a double exactly (10^15 < 2^53). */
const EXACT_DIGITS = 15;
const TEN_TO_EXACT_DIGITS = 10n ** 15n;

/** The words of one command line: `buf[starts[i] .. ends[i])` for `i < count`. Reused per line. */
export abstract class LineTokensBase {
  buf: Buffer = Buffer.alloc(0);
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  count = 0;

  /** Token `i` as a latin1 string: every byte maps to one character and back. */
  text(i: number): string {
    return this.buf.toString('latin1', this.starts[i], this.ends[i]);
  }

  /** Token `i`'s length in bytes. */
  length(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** True when token `i` starts with `prefix` (ASCII). */
  startsWith(i: number, prefix: string): boolean {
    const start = this.starts[i]!;
    if (this.ends[i]! - start < prefix.length) return false;
    for (let j = 0; j < prefix.length; j++) if (this.buf[start + j] !== prefix.charCodeAt(j)) return false;
    return true;
  }

  /**
   * Token `i` as an unsigned 64-bit decimal, or undefined: at most 2^64 − 1, in memcached's syntax
   * (`scanNumber` below), with a minus allowed only before zero as in `unsigned`.
   */
  unsigned64(i: number): bigint | undefined {
    const digits = this.scanNumber(i);
    if (digits < 0 || digits > 20 || (this.negative && digits > 0)) return undefined;
    if (digits === 20 && this.digitsAbove(UINT64_MAX_DIGITS)) return undefined;
    const at = this.digitsAt;
    if (digits <= EXACT_DIGITS) return BigInt(this.decimal(at, digits));
    // Two parts of at most 15 digits are each exact in a double; no string is made.
    const high = digits - EXACT_DIGITS;
    return BigInt(this.decimal(at, high)) * TEN_TO_EXACT_DIGITS + BigInt(this.decimal(at + high, EXACT_DIGITS));
  }

  /** Set by `scanNumber`: where the significant digits (past leading zeros) begin. */
  protected digitsAt = 0;
  /** Set by `scanNumber`: whether the number had a minus sign. */
  protected negative = false;

  /**
   * Finds the number in token `i` as memcached reads it (C's strtol family, on the NUL-ended
   * token): optional whitespace, an optional `+` or `-`, at least one digit — any number of
   * leading zeros — then optional whitespace. Returns how many significant digits follow the
   * leading zeros (0 for zero itself), or -1 when the token is not a number; `digitsAt` and
   * `negative` say where they are and whether a `-` came first. memcached also ignores anything
   * after the trailing whitespace (`5\tjunk` is 5); KV Lab refuses that as it refuses `5junk`.
   */
  protected scanNumber(i: number): number {
    const buf = this.buf;
    const end = this.ends[i]!;
    let j = this.starts[i]!;
    while (j < end && isNumberSpace(buf[j]!)) j++;
    this.negative = j < end && buf[j] === MINUS;
    if (j < end && (buf[j] === MINUS || buf[j] === PLUS)) j++;
    const first = j;
    while (j < end && buf[j] === DIGIT_0) j++;
    const significant = j;
    while (j < end && isDigit(buf[j]!)) j++;
    if (j === first) return -1;
    const digitsEnd = j;
    while (j < end && isNumberSpace(buf[j]!)) j++;
    if (j !== end) return -1;
    this.digitsAt = significant;
    return digitsEnd - significant;
  }

  /**
   * The value of `digits` decimal digits at `at`: exact below 2^53, and past it never below 2^53
   * (every step before the last is below 10^15, exact), so a comparison with a safe `max` holds.
   */
  protected decimal(at: number, digits: number): number {
    let value = 0;
    for (let j = at; j < at + digits; j++) value = value * 10 + (this.buf[j]! - DIGIT_0);
    return value;
  }

  /** With 19 significant digits: true when they lie outside −2^63 … 2^63 − 1 for the sign read. */
  protected beyondInt64(): boolean {
    return this.digitsAbove(this.negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS);
  }

  /** True when the significant digits, as many as `limit` has, spell a larger number than `limit`. */
  protected digitsAbove(limit: Buffer): boolean {
    // Equal lengths, no leading zeros: byte order is numeric order.
    return this.buf.compare(limit, 0, limit.length, this.digitsAt, this.digitsAt + limit.length) > 0;
  }
}
