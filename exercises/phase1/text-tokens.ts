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
   * TODO: token `i` as an unsigned decimal no larger than `max`, or -1: digits only (no sign, no
   * hex), at most 16 of them (more would overflow 2^53 and lose precision before you could check).
   */
  unsigned(i: number, max: number): number {
    return todo('unsigned', i, max);
  }

  /**
   * TODO: token `i` as a signed decimal — an optional `-`, then 1 to 19 digits — or NaN; a value
   * that reaches 2^63 is NaN too. Why: exptimes may be negative ("already expired").
   */
  signed(i: number): number {
    return todo('signed', i);
  }

  /** Token `i` as an unsigned 64-bit decimal, or undefined: up to 20 digits, at most 2^64 − 1. */
  unsigned64(i: number): bigint | undefined {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (end === start || end - start > 20) return undefined;
    for (let j = start; j < end; j++) if (this.buf[j]! < DIGIT_0 || this.buf[j]! > DIGIT_9) return undefined;
    const value = BigInt(this.buf.toString('latin1', start, end));
    return value <= 0xffff_ffff_ffff_ffffn ? value : undefined;
  }
}
