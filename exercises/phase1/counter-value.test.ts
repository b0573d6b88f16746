/**
 * Checks for exercise 1.2 (counter-value). Every expectation was measured on memcached 1.6.18.
 */
import { describe, test } from 'node:test';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame } from '../../shared/course/checks.ts';

const { parseCounter, applyDelta, MAX_COUNTER } = await loadExercise<typeof import('./counter-value.ts')>(import.meta.url);

const T = { timeout: 5000 };

/** parseCounter over a whole string, reported as the learner would call it. */
function expectCounter(text: string, expected: bigint | undefined): void {
  const bytes = Buffer.from(text, 'latin1');
  expectSame(parseCounter(bytes, 0, bytes.length), expected, `parseCounter(${JSON.stringify(text)})`);
}

describe('1.2 counter-value', () => {
  test('incr adds, and wraps around at 2^64', T, () => {
    expectSame(applyDelta(1n, true, 2n), 3n, 'incr 1 by 2');
    expectSame(applyDelta(MAX_COUNTER, true, 1n), 0n, 'incr 18446744073709551615 by 1');
    expectSame(applyDelta(MAX_COUNTER, true, MAX_COUNTER), MAX_COUNTER - 1n, 'incr 2^64−1 by 2^64−1');
  });

  test('decr subtracts, and stops at 0', T, () => {
    expectSame(applyDelta(10n, false, 3n), 7n, 'decr 10 by 3');
    expectSame(applyDelta(5n, false, 5n), 0n, 'decr 5 by 5');
    expectSame(applyDelta(3n, false, 10n), 0n, 'decr 3 by 10');
  });

  test('plain decimal values, up to 2^64 − 1', T, () => {
    expectCounter('0', 0n);
    expectCounter('12', 12n);
    expectCounter('18446744073709551615', MAX_COUNTER);
  });

  test("memcached's leniency: leading whitespace, a sign, then whitespace or NUL after the digits", T, () => {
    expectCounter(' 12', 12n);
    expectCounter('\t7\r', 7n);
    expectCounter('+12', 12n);
    expectCounter('12 x', 12n);
    expectCounter('12\0', 12n);
    expectCounter('-0', 0n);
    expectCounter('00000000000000000000000012', 12n);
  });

  test('not numbers: empty, letters after the digits, hex, negative, 2^64', T, () => {
    for (const text of ['', ' ', '+', 'abc', '12x', '0x5', '-1', '- 1', '18446744073709551616']) expectCounter(text, undefined);
  });

  test('only bytes[start, end) are read', T, () => {
    const bytes = Buffer.from('9942yy');
    expectSame(parseCounter(bytes, 2, 4), 42n, 'parseCounter(Buffer "9942yy", 2, 4)');
  });
});
