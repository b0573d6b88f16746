/**
 * The text protocol's tokenizer and number readers. A command line is split on spaces (runs of
 * spaces count as one, as memcached's tokenizer does) into token boundaries kept in reused arrays,
 * and numbers are read straight from the bytes — no string is made for a token nobody needs.
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
const DEL = 0x7f;

/** The words of one command line: `buf[starts[i] .. ends[i])` for `i < count`. Reused per line. */
export class LineTokens {
  buf: Buffer = Buffer.alloc(0);
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  count = 0;

  /** Splits `buf[start .. end)` on spaces. */
  split(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.count = 0;
    let i = start;
    while (i < end) {
      while (i < end && buf[i] === SPACE) i++;
      if (i === end) break;
      const tokenStart = i;
      while (i < end && buf[i] !== SPACE) i++;
      this.starts[this.count] = tokenStart;
      this.ends[this.count] = i;
      this.count++;
    }
  }

  /** Token `i` as a latin1 string: every byte maps to one character and back. */
  text(i: number): string {
    return this.buf.toString('latin1', this.starts[i], this.ends[i]);
  }

  /** Token `i`'s length in bytes. */
  length(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** True when token `i` is exactly `word` (ASCII). */
  is(i: number, word: string): boolean {
    const start = this.starts[i]!;
    if (this.ends[i]! - start !== word.length) return false;
    for (let j = 0; j < word.length; j++) if (this.buf[start + j] !== word.charCodeAt(j)) return false;
    return true;
  }

  /** True when token `i` starts with `prefix` (ASCII). */
  startsWith(i: number, prefix: string): boolean {
    const start = this.starts[i]!;
    if (this.ends[i]! - start < prefix.length) return false;
    for (let j = 0; j < prefix.length; j++) if (this.buf[start + j] !== prefix.charCodeAt(j)) return false;
    return true;
  }

  /** True when token `i` is a valid key: 1–`maxLength` bytes, none of them a control character. */
  isKey(i: number, maxLength: number): boolean {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (end - start > maxLength) return false;
    for (let j = start; j < end; j++) {
      const byte = this.buf[j]!;
      if (byte < SPACE || byte === DEL) return false;
    }
    return true;
  }

  /**
   * Token `i` as an unsigned decimal no larger than `max` (at most 2^53 − 1), or -1 when it is not
   * one: digits only — no sign, no spaces, no hex — and no value past `max`.
   */
  unsigned(i: number, max: number): number {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    // 16 digits already exceed 2^53; stop before the arithmetic loses precision.
    if (end - start > 16) return -1;
    let value = 0;
    for (let j = start; j < end; j++) {
      const byte = this.buf[j]!;
      if (byte < DIGIT_0 || byte > DIGIT_9) return -1;
      value = value * 10 + (byte - DIGIT_0);
    }
    return value <= max ? value : -1;
  }

  /**
   * Token `i` as a signed decimal (an optional `-`, then digits) within ±(2^63 − 1), memcached's
   * range for times, or NaN. Values beyond 2^53 lose precision, which only moves a time already
   * millions of years away.
   */
  signed(i: number): number {
    let start = this.starts[i]!;
    const end = this.ends[i]!;
    const negative = this.buf[start] === MINUS;
    if (negative) start++;
    if (end === start || end - start > 19) return NaN;
    let value = 0;
    for (let j = start; j < end; j++) {
      const byte = this.buf[j]!;
      if (byte < DIGIT_0 || byte > DIGIT_9) return NaN;
      value = value * 10 + (byte - DIGIT_0);
    }
    // 2^63 − 1 has no exact double; anything that rounds to 2^63 or beyond is out of range.
    if (value >= 2 ** 63) return NaN;
    return negative ? -value : value;
  }

  /** Token `i` as an unsigned 64-bit decimal, or undefined: up to 20 digits, at most 2^64 − 1. */
  unsigned64(i: number): bigint | undefined {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (end === start || end - start > 20) return undefined;
    for (let j = start; j < end; j++) {
      const byte = this.buf[j]!;
      if (byte < DIGIT_0 || byte > DIGIT_9) return undefined;
    }
    const value = BigInt(this.buf.toString('latin1', start, end));
    return value <= 0xffff_ffff_ffff_ffffn ? value : undefined;
  }
}
