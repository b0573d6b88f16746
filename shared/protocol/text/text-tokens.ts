/**
 * The text protocol's tokenizer and number readers. A command line is split on spaces (runs of
 * spaces count as one, as memcached's tokenizer does) into token boundaries kept in reused arrays,
 * and numbers are read straight from the bytes — no string is made for a token nobody needs.
 * Numbers follow memcached's syntax (its C strtol readers: whitespace, sign, leading zeros), and
 * their range is judged on the digits before any arithmetic.
 * @module
 */

import { LineTokensBase, SPACE } from './line-tokens-base.ts';

export { CR, LF, SPACE } from './line-tokens-base.ts';

/** DEL: with the control characters below the space, a byte no key may hold. */
const DEL = 0x7f;

/** The words of one command line, and memcached's readers of them (see {@link LineTokensBase}). */
export class LineTokens extends LineTokensBase {
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

  /** True when token `i` is exactly `word` (ASCII). */
  is(i: number, word: string): boolean {
    const start = this.starts[i]!;
    if (this.ends[i]! - start !== word.length) return false;
    for (let j = 0; j < word.length; j++) if (this.buf[start + j] !== word.charCodeAt(j)) return false;
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
   * one. The syntax is memcached's (`scanNumber` below); a minus sign is allowed only
   * before zero (`-0` is 0), as no negative number is unsigned.
   */
  unsigned(i: number, max: number): number {
    const digits = this.scanNumber(i);
    // Limits first: 17 significant digits are at least 10^16, past 2^53 and so past any `max`,
    // and arithmetic on them would round. Leading zeros do not count; memcached allows any number.
    if (digits < 0 || digits > 16 || (this.negative && digits > 0)) return -1;
    const value = this.decimal(this.digitsAt, digits);
    return value <= max ? value : -1;
  }

  /**
   * Token `i` as a signed decimal within memcached's range for times, −2^63 … 2^63 − 1 (its
   * strtol on a 64-bit long), or NaN. The range is checked on the digits, exactly. A value past
   * ±(2^53 − 1) comes back as ±(2^53 − 1), a safe integer as the store requires: as a time, either
   * lies hundreds of millions of years away (or, negative, means "expired"), so nothing changes.
   */
  signed(i: number): number {
    const digits = this.scanNumber(i);
    if (digits < 0 || digits > 19) return NaN;
    if (digits === 19 && this.beyondInt64()) return NaN;
    // 17 digits are at least 10^16, past 2^53; 16 digits are read exactly up to 2^53.
    const value = digits > 16 ? Number.MAX_SAFE_INTEGER : Math.min(this.decimal(this.digitsAt, digits), Number.MAX_SAFE_INTEGER);
    // `-0` is plain 0, not the double −0.
    return this.negative && value > 0 ? -value : value;
  }
}
