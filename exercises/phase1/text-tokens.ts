/**
 * Exercise 1.3 — the text protocol's tokenizer. A command line (`set k 0 0 5`) is split into
 * words by recording where each starts and ends — no string per word — and numbers are read
 * straight from the bytes. Stands in for shared/protocol/text/text-tokens.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

/** Bytes with names. */
export const SPACE = 0x20;
export const CR = 0x0d;
export const LF = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;

/** Tab, LF, VT, FF or CR: whitespace C's strtol skips around a number (spaces already split words). */
function isNumberSpace(byte: number): boolean {
  return byte >= 0x09 && byte <= CR;
}

function isDigit(byte: number): boolean {
  return byte >= DIGIT_0 && byte <= DIGIT_9;
}

/** memcached's largest magnitudes, as digits: compare 19 or 20 significant digits with these. */
const INT64_MAX_DIGITS = Buffer.from('9223372036854775807', 'latin1');
const INT64_MIN_DIGITS = Buffer.from('9223372036854775808', 'latin1');
const UINT64_MAX_DIGITS = Buffer.from('18446744073709551615', 'latin1');
const EXACT_DIGITS = 15;
const TEN_TO_EXACT_DIGITS = 10n ** 15n;

/** The words of one command line: `buf[starts[i] .. ends[i])` for `i < count`. Reused per line. */
export class LineTokens {
  buf: Buffer = Buffer.alloc(0);
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  count = 0;

  /**
   * TODO: record each word of `buf[start .. end)`: runs of spaces separate words, and spaces at
   * either end make no empty word. Keep `buf` in `this.buf` (text() reads from it), overwrite
   * `starts`/`ends` from index 0 and set `count`. Why: the parser calls this once per command;
   * reusing two arrays costs no allocation at all.
   */
  split(buf: Buffer, start: number, end: number): void {
    todo('split', buf, start, end);
  }

  /** Token `i` as a latin1 string: every byte maps to one character and back. */
  text(i: number): string {
    return this.buf.toString('latin1', this.starts[i], this.ends[i]);
  }

  /** Token `i`'s length in bytes. */
  length(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** TODO: true when token `i` is exactly `word` (compare bytes with `word.charCodeAt(j)`; see startsWith). */
  is(i: number, word: string): boolean {
    return todo('is', i, word);
  }

  /** True when token `i` starts with `prefix` (ASCII). */
  startsWith(i: number, prefix: string): boolean {
    const start = this.starts[i]!;
    if (this.ends[i]! - start < prefix.length) return false;
    for (let j = 0; j < prefix.length; j++) if (this.buf[start + j] !== prefix.charCodeAt(j)) return false;
    return true;
  }

  /**
   * TODO: true when token `i` is a valid key: at most `maxLength` bytes, and no byte below 0x20
   * (a control character) or equal to 0x7f (DEL). Why: such keys cannot be sent back in a reply.
   */
  isKey(i: number, maxLength: number): boolean {
    return todo('isKey', i, maxLength);
  }

  /**
   * TODO: token `i` as an unsigned decimal no larger than `max` (at most 2^53 − 1), or -1. Call
   * `scanNumber(i)` (below) for the syntax; then refuse more than 16 significant digits before
   * any arithmetic (17 are at least 10^16 > 2^53, and a double would round), and a minus sign
   * unless the number is zero (`-0` is 0; `-5` is not unsigned). Why: a length or flags that slip
   * past a rounded check would make the parser trust a number the client never sent.
   */
  unsigned(i: number, max: number): number {
    return todo('unsigned', i, max);
  }

  /**
   * TODO: token `i` as a signed decimal from −2^63 to 2^63 − 1 (memcached's range for times), or
   * NaN. Use `scanNumber(i)`; more than 19 significant digits is NaN, and so are 19 for which
   * `beyondInt64()` (below) says the number is out of range — judged on the digits. A value past
   * 2^53 − 1 is returned as ±(2^53 − 1): as a time it means the same, and the store takes only
   * safe integers. Return 0, not −0, for `-0`. Why: exptimes may be negative ("already expired").
   */
  signed(i: number): number {
    return todo('signed', i);
  }

  /** Token `i` as an unsigned 64-bit decimal, or undefined: at most 2^64 − 1, a minus only before zero. */
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
  private digitsAt = 0;
  /** Set by `scanNumber`: whether the number had a minus sign. */
  private negative = false;

  /**
   * Finds the number in token `i` as memcached reads it (C's strtol): optional whitespace (tab,
   * VT, FF, CR), an optional `+` or `-`, at least one digit — any number of leading zeros — then
   * optional whitespace. Returns how many significant digits follow the leading zeros (0 for zero
   * itself), or -1 when the token is not a number; sets `digitsAt` and `negative`.
   */
  private scanNumber(i: number): number {
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

  /** The value of `digits` decimal digits at `at` (`value * 10 + digit`): exact below 2^53. */
  private decimal(at: number, digits: number): number {
    let value = 0;
    for (let j = at; j < at + digits; j++) value = value * 10 + (this.buf[j]! - DIGIT_0);
    return value;
  }

  /** With 19 significant digits: true when they lie outside −2^63 … 2^63 − 1 for the sign read. */
  private beyondInt64(): boolean {
    return this.digitsAbove(this.negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS);
  }

  /** True when the significant digits, as many as `limit` has, spell a larger number than `limit`. */
  private digitsAbove(limit: Buffer): boolean {
    return this.buf.compare(limit, 0, limit.length, this.digitsAt, this.digitsAt + limit.length) > 0;
  }
}
