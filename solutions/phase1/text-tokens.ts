/**
 * Reference answer to exercise 1.3 (text-tokens): the tokenizer both servers run,
 * shared/protocol/text/text-tokens.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - `split` keeps two arrays of offsets and overwrites them line after line: a command costs no
 *   allocation, and a word becomes a string only if a command asks for it (`text(i)`).
 * - Runs of spaces count as one, as memcached's tokenizer does; a blank line has zero words, which
 *   the grammar answers with ERROR.
 * - Numbers are written as memcached's C readers take them: whitespace, a sign, any number of
 *   leading zeros (`scanNumber`). `unsigned` refuses more than 16 significant digits *before*
 *   multiplying: past 2^53 a double rounds, and a rounded number could slip under `max`. `signed`
 *   judges memcached's range for times, −2^63 … 2^63 − 1, on the digits themselves (19 of them
 *   compared with the limit's), then keeps the value a safe integer.
 * - `isKey` checks bytes, not characters: keys are latin1 strings, one character per byte, so
 *   0xe9 is a legal key byte while 0x01 and 0x7f are not.
 * @module
 */
export * from '../../shared/protocol/text/text-tokens.ts';
