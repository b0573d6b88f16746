/**
 * Checks for exercise 1.3 (text-tokens). The number readers are checked on hand-made tokens, so
 * each part can be finished and seen to pass on its own, in any order.
 */
import { describe, test } from 'node:test';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame } from '../../shared/course/checks.ts';

const { LineTokens } = await loadExercise<typeof import('./text-tokens.ts')>(import.meta.url);
type Tokens = InstanceType<typeof LineTokens>;

const T = { timeout: 5000 };
const U32_MAX = 0xffff_ffff;

/** Splits `line` with the learner's split() and returns the words it found. */
function words(line: string, start = 0, end = line.length): { tokens: Tokens; found: string[] } {
  const tokens = new LineTokens();
  tokens.split(Buffer.from(line, 'latin1'), start, end);
  const found = Array.from({ length: tokens.count }, (_, i) => tokens.text(i));
  return { tokens, found };
}

/** Tokens made by hand (not by split), one per word, separated by single spaces. */
function handMade(...list: string[]): Tokens {
  const tokens = new LineTokens();
  tokens.buf = Buffer.from(list.join(' '), 'latin1');
  let at = 0;
  list.forEach((word, i) => {
    tokens.starts[i] = at;
    tokens.ends[i] = at + word.length;
    at += word.length + 1;
  });
  tokens.count = list.length;
  return tokens;
}

describe('1.3 text-tokens', () => {
  test('split: words are separated by runs of spaces', T, () => {
    expectSame(words('set k 0 0 5').found, ['set', 'k', '0', '0', '5'], 'split("set k 0 0 5")');
    expectSame(words('get  a   b').found, ['get', 'a', 'b'], 'split("get  a   b")');
  });

  test('split: spaces at either end make no empty word; a blank line has no words', T, () => {
    expectSame(words('  get k  ').found, ['get', 'k'], 'split("  get k  ")');
    expectSame(words('').found, [], 'split("")');
    expectSame(words('    ').found, [], 'split("    ")');
  });

  test('split: only buf[start, end) is read, and a second line replaces the first', T, () => {
    expectSame(words('xxget ayy', 2, 7).found, ['get', 'a'], 'split(Buffer "xxget ayy", 2, 7)');
    const { tokens } = words('set k 0 0 5');
    tokens.split(Buffer.from('quit'), 0, 4);
    expectSame({ count: tokens.count, first: tokens.text(0) }, { count: 1, first: 'quit' }, 'split("set k 0 0 5") then split("quit")');
  });

  test('is: a token equals a word exactly (command names are case-sensitive)', T, () => {
    const t = handMade('get', 'gets', 'GET');
    expectSame([t.is(0, 'get'), t.is(0, 'gets'), t.is(1, 'get'), t.is(2, 'get')], [true, false, false, false],
      'is() on tokens get gets GET: [is(0,"get"), is(0,"gets"), is(1,"get"), is(2,"get")]');
  });

  test('isKey: up to maxLength bytes, and no control character or DEL', T, () => {
    const t = handMade('user:42', 'a\x01b', 'tab\x7f', 'k'.repeat(250), 'k'.repeat(251), 'caf\xe9');
    expectSame(
      [t.isKey(0, 250), t.isKey(1, 250), t.isKey(2, 250), t.isKey(3, 250), t.isKey(4, 250), t.isKey(5, 250)],
      [true, false, false, true, false, true],
      'isKey(i, 250) on "user:42", "a\\x01b", "tab\\x7f", 250×k, 251×k, "caf\\xe9"',
    );
  });

  test('unsigned: digits, no larger than max, else -1', T, () => {
    const cases: [string, number, number][] = [
      ['0', U32_MAX, 0], ['4294967295', U32_MAX, U32_MAX], ['4294967296', U32_MAX, -1], ['-1', U32_MAX, -1],
      ['1a', U32_MAX, -1], ['0x10', U32_MAX, -1], ['', U32_MAX, -1], ['1234567890123456', Number.MAX_SAFE_INTEGER, 1234567890123456],
      ['12345678901234567', Number.MAX_SAFE_INTEGER, -1], ['9007199254740992', Number.MAX_SAFE_INTEGER, -1],
    ];
    for (const [word, max, expected] of cases) expectSame(handMade(word).unsigned(0, max), expected, `unsigned(${JSON.stringify(word)}, max ${max})`);
  });

  test('unsigned: memcached\'s way of writing numbers — leading zeros, +, -0, tabs', T, () => {
    const cases: [string, number][] = [
      ['00000000000000001', 1], [`${'0'.repeat(30)}4294967295`, U32_MAX], ['+5', 5], ['-0', 0], ['\t7\t', 7],
      ['+', -1], ['-', -1], ['--1', -1], ['-5', -1], ['5\tx', -1],
    ];
    for (const [word, expected] of cases) expectSame(handMade(word).unsigned(0, U32_MAX), expected, `unsigned(${JSON.stringify(word)}, max ${U32_MAX})`);
  });

  test('signed: a sign and up to 19 significant digits, within ±2^63, else NaN', T, () => {
    const cases: [string, number][] = [
      ['0', 0], ['123', 123], ['-1', -1], ['-2592000', -2592000], ['1000000000000000', 1e15], ['+5', 5], ['-0', 0],
      [`-${'0'.repeat(30)}7`, -7], ['\t-3\r', -3],
      ['-', NaN], ['--1', NaN], ['1e5', NaN], ['12345678901234567890', NaN], ['9223372036854775808', NaN], ['-9223372036854775809', NaN],
    ];
    for (const [word, expected] of cases) expectSame(handMade(word).signed(0), expected, `signed(${JSON.stringify(word)})`);
  });

  test('signed: past 2^53 − 1 a time reads as ±(2^53 − 1), up to exactly 2^63 − 1 and down to −2^63', T, () => {
    const SAFE = Number.MAX_SAFE_INTEGER;
    const cases: [string, number][] = [
      ['9007199254740991', SAFE], ['9007199254740992', SAFE], ['1000000000000000000', SAFE],
      ['9223372036854775807', SAFE], ['-9223372036854775808', -SAFE],
    ];
    for (const [word, expected] of cases) expectSame(handMade(word).signed(0), expected, `signed(${JSON.stringify(word)})`);
  });
});
