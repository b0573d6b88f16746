/**
 * Exercise 1.3 — the text protocol's tokenizer. A command line (`set k 0 0 5`) is split into
 * words by recording where each starts and ends — no string per word — and numbers are read
 * straight from the bytes. Stands in for shared/protocol/text/text-tokens.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';
import { LineTokensBase } from '../../shared/protocol/text/line-tokens-base.ts';

export { CR, LF, SPACE } from '../../shared/protocol/text/line-tokens-base.ts';

/**
 * The words of one command line, and memcached's readers of them. What is not the lesson (token
 * text, the number syntax: `scanNumber`, `decimal`, `beyondInt64`, `digitsAt`, `negative`; and
 * the 64-bit reader) is inherited from {@link LineTokensBase}: read it there.
 */
export class LineTokens extends LineTokensBase {
  /**
   * TODO: record each word of `buf[start .. end)`: runs of spaces (`SPACE`, 0x20 — add it to the
   * import from line-tokens-base.ts) separate words, and spaces at either end make no empty word. Keep `buf` in `this.buf` (text() reads from it), overwrite
   * `starts`/`ends` from index 0 and set `count`. Why: the parser calls this once per command;
   * reusing two arrays costs no allocation at all.
   */
  split(buf: Buffer, start: number, end: number): void {
    todo('split', buf, start, end);
  }

  /** TODO: true when token `i` is exactly `word` (compare bytes with `word.charCodeAt(j)`; see startsWith). */
  is(i: number, word: string): boolean {
    return todo('is', i, word);
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
}
