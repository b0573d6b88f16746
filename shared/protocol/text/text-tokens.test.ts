/**
 * The number readers against memcached 1.6.18's rules (its strtol readers, as observed): edges
 * by table, then every short token over a small alphabet against a BigInt model of those rules.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineTokens } from './text-tokens.ts';

const U32_MAX = 0xffff_ffff;
const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * One token `word`, with a digit on either side of it in the buffer: a reader that looks past
 * the token's end (or before its start) would see a digit and get the number wrong.
 */
function token(word: string): LineTokens {
  const tokens = new LineTokens();
  tokens.buf = Buffer.from(`9${word}9`, 'latin1');
  tokens.starts[0] = 1;
  tokens.ends[0] = 1 + word.length;
  tokens.count = 1;
  return tokens;
}

/**
 * The model: memcached reads a number with optional whitespace, a sign, digits and optional
 * whitespace (KV Lab refuses anything after that whitespace, where memcached ignores it).
 * Returns the signed value, or undefined when the token is not a number at all.
 */
function model(word: string): bigint | undefined {
  const match = /^[\t\n\v\f\r]*([+-]?)(\d+)[\t\n\v\f\r]*$/.exec(word);
  if (!match) return undefined;
  const magnitude = BigInt(match[2]!);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** What each reader should answer for `word`, by the model. */
function expected(word: string, max: number): { unsigned: number; signed: number; unsigned64: bigint | undefined } {
  const value = model(word);
  // A minus sign is allowed before zero only: "-0" is 0; memcached's wrap of "-5" to 2^64 − 5 is not copied.
  const unsigned64 = value !== undefined && value >= 0n && value <= U64_MAX ? value : undefined;
  // Times past ±(2^53 − 1) are read as ±(2^53 − 1): the store keeps safe integers.
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  const clamped = value === undefined ? 0n : value > safe ? safe : value < -safe ? -safe : value;
  const signed = value !== undefined && value >= I64_MIN && value <= I64_MAX ? Number(clamped) : NaN;
  const unsigned = unsigned64 !== undefined && unsigned64 <= BigInt(max) ? Number(unsigned64) : -1;
  return { unsigned, signed, unsigned64 };
}

describe('number syntax, as memcached reads it', () => {
  const accepted: [string, number][] = [
    ['0', 0], ['5', 5], ['00000000000000001', 1], ['0'.repeat(40) + '7', 7], ['+5', 5], ['-0', 0], ['+0', 0],
    ['-00', 0], ['\t5', 5], ['5\t', 5], ['\v\f\r5\r', 5], ['\t+5\t', 5], ['\r-0', 0],
  ];
  for (const [word, value] of accepted) {
    test(`${JSON.stringify(word)} is ${value} to every reader`, { timeout: 2000 }, () => {
      assert.equal(token(word).unsigned(0, U32_MAX), value);
      assert.equal(Object.is(token(word).signed(0), value), true, `signed(${JSON.stringify(word)}) = ${token(word).signed(0)}`);
      assert.equal(token(word).unsigned64(0), BigInt(value));
    });
  }

  const refused = ['', '+', '-', '--1', '+-1', '-+1', '- 1', '-\t1', '1-', '1+', '1x', 'x1', '0x10', '1e3', '1.0', '1,000', '\t', '5\tjunk', '5\rx', '1\x00', '\x001', '\xb3'];
  for (const word of refused) {
    test(`${JSON.stringify(word)} is not a number`, { timeout: 2000 }, () => {
      assert.equal(token(word).unsigned(0, U32_MAX), -1);
      assert.equal(token(word).signed(0), NaN);
      assert.equal(token(word).unsigned64(0), undefined);
    });
  }
});

describe('number ranges', () => {
  test('unsigned: up to max, exactly; leading zeros do not count towards the digit limit', { timeout: 2000 }, () => {
    assert.equal(token('4294967295').unsigned(0, U32_MAX), U32_MAX);
    assert.equal(token('4294967296').unsigned(0, U32_MAX), -1);
    assert.equal(token('2147483645').unsigned(0, 2 ** 31 - 3), 2 ** 31 - 3);
    assert.equal(token('2147483646').unsigned(0, 2 ** 31 - 3), -1);
    assert.equal(token('9007199254740991').unsigned(0, Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
    assert.equal(token('9007199254740992').unsigned(0, Number.MAX_SAFE_INTEGER), -1);
    assert.equal(token('99999999999999999').unsigned(0, Number.MAX_SAFE_INTEGER), -1);
    assert.equal(token(`${'0'.repeat(30)}4294967295`).unsigned(0, U32_MAX), U32_MAX);
    assert.equal(token('-1').unsigned(0, U32_MAX), -1);
    assert.equal(token('-4294967295').unsigned(0, U32_MAX), -1);
  });

  test('signed: exactly −2^63 … 2^63 − 1, on the digits; past 2^53 − 1 it reads as 2^53 − 1', { timeout: 2000 }, () => {
    const SAFE = Number.MAX_SAFE_INTEGER;
    assert.equal(token('9223372036854775807').signed(0), SAFE);
    assert.equal(token('9223372036854775808').signed(0), NaN);
    assert.equal(token('-9223372036854775808').signed(0), -SAFE);
    assert.equal(token('-9223372036854775809').signed(0), NaN);
    assert.equal(token('+9223372036854775807').signed(0), SAFE);
    assert.equal(token(`-${'0'.repeat(25)}9223372036854775808`).signed(0), -SAFE);
    assert.equal(token('9007199254740991').signed(0), SAFE);
    assert.equal(token('9007199254740992').signed(0), SAFE);
    assert.equal(token('-9007199254740990').signed(0), -(SAFE - 1));
    assert.equal(token('10000000000000000000').signed(0), NaN);
    assert.equal(token('99999999999999999999').signed(0), NaN);
    assert.equal(token('2147483648').signed(0), 2 ** 31);
    assert.equal(token('-2592000').signed(0), -2592000);
  });

  test('unsigned64: exactly 0 … 2^64 − 1, built without rounding', { timeout: 2000 }, () => {
    assert.equal(token('18446744073709551615').unsigned64(0), U64_MAX);
    assert.equal(token('18446744073709551616').unsigned64(0), undefined);
    assert.equal(token('99999999999999999999').unsigned64(0), undefined);
    assert.equal(token('100000000000000000000').unsigned64(0), undefined);
    assert.equal(token('9007199254740993').unsigned64(0), 9007199254740993n);
    assert.equal(token('1000000000000001').unsigned64(0), 1000000000000001n);
    assert.equal(token(`+${'0'.repeat(40)}18446744073709551615\t`).unsigned64(0), U64_MAX);
    assert.equal(token('-1').unsigned64(0), undefined);
    assert.equal(token('-18446744073709551615').unsigned64(0), undefined);
  });
});

describe('number readers against the model', () => {
  const alphabet = fc.constantFrom('0', '0', '1', '5', '9', '-', '+', '\t', '\r', 'x');

  test('any short token over digits, signs, whitespace and a letter', { timeout: 20000 }, () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }).map((chars) => chars.join('')), fc.nat(U32_MAX), (word, max) => {
        const want = expected(word, max);
        const t = token(word);
        assert.equal(t.unsigned(0, max), want.unsigned, `unsigned(${JSON.stringify(word)}, ${max})`);
        assert.equal(t.unsigned64(0), want.unsigned64, `unsigned64(${JSON.stringify(word)})`);
        assert.equal(t.signed(0), want.signed, `signed(${JSON.stringify(word)})`);
      }),
      { numRuns: 3000 },
    );
  });

  test('any 64-bit number, written with leading zeros, a sign and whitespace, reads back', { timeout: 20000 }, () => {
    const space = fc.array(fc.constantFrom('\t', '\v', '\f', '\r'), { maxLength: 2 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc.bigInt({ min: I64_MIN - 2n, max: U64_MAX + 2n }),
        fc.nat(25),
        fc.boolean(),
        space,
        space,
        (value, zeros, plus, before, after) => {
          const sign = value < 0n ? '-' : plus ? '+' : '';
          const word = `${before}${sign}${'0'.repeat(zeros)}${value < 0n ? -value : value}${after}`;
          const want = expected(word, Number.MAX_SAFE_INTEGER);
          const t = token(word);
          assert.equal(t.unsigned64(0), want.unsigned64, `unsigned64(${JSON.stringify(word)})`);
          assert.equal(t.unsigned(0, Number.MAX_SAFE_INTEGER), want.unsigned, `unsigned(${JSON.stringify(word)})`);
          assert.equal(t.signed(0), want.signed, `signed(${JSON.stringify(word)})`);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
