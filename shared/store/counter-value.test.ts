/**
 * incr/decr's number parsing, case by case as memcached 1.6.18 answered them (the comment on each
 * row is what `set n 0 0 <len>` + `incr n 1` returned from real memcached), plus wrap and clamp.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDelta, MAX_COUNTER, parseCounter } from './counter-value.ts';

function parse(text: string): bigint | undefined {
  // Embed the value in other bytes, so the parser must respect its start and end.
  const bytes = Buffer.from(`@@${text}##`, 'latin1');
  return parseCounter(bytes, 2, 2 + text.length);
}

const NUMBERS: readonly (readonly [string, bigint])[] = [
  ['0', 0n],
  ['100', 100n],
  [' 12', 12n], // leading space skipped
  ['\t7\t', 7n], // any C isspace() around it
  ['\r\n5', 5n],
  ['+12', 12n],
  ['-0', 0n],
  ['12 x', 12n], // anything after a space is ignored
  ['5\n', 5n],
  ['5\u0000', 5n], // NUL ends the number too
  ['5\u000b', 5n],
  ['000000000000000000000005', 5n], // no limit on leading zeros
  [`5${' '.repeat(1000)}`, 5n],
  ['18446744073709551615', MAX_COUNTER],
];

const NOT_NUMBERS: readonly string[] = [
  '', // memcached: non-numeric
  ' ',
  '+',
  '-',
  'x',
  '12x',
  '5x',
  '0x5',
  '\t7x',
  '-1', // strtoull wraps it to 2^64 - 1; memcached refuses it
  '-5',
  '18446744073709551616', // 2^64: ERANGE
  '99999999999999999999999',
];

describe('parseCounter', { timeout: 5000 }, () => {
  for (const [text, value] of NUMBERS) {
    test(`${JSON.stringify(text)} is ${value}`, () => assert.equal(parse(text), value));
  }
  for (const text of NOT_NUMBERS) {
    test(`${JSON.stringify(text)} is not a number`, () => assert.equal(parse(text), undefined));
  }
  test('a large negative is refused (memcached would wrap it: a deliberate difference)', () => {
    assert.equal(parse('-18446744073709551615'), undefined);
  });
});

describe('applyDelta', { timeout: 5000 }, () => {
  test('incr adds and wraps at 2^64', () => {
    assert.equal(applyDelta(5n, true, 3n), 8n);
    assert.equal(applyDelta(MAX_COUNTER, true, 1n), 0n);
    assert.equal(applyDelta(MAX_COUNTER, true, MAX_COUNTER), MAX_COUNTER - 1n);
  });
  test('decr subtracts and stops at 0', () => {
    assert.equal(applyDelta(5n, false, 3n), 2n);
    assert.equal(applyDelta(5n, false, 5n), 0n);
    assert.equal(applyDelta(5n, false, 6n), 0n);
  });
});
