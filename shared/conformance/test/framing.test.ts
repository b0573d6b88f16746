/** Unit tests of how bytes are cut for each framing, and of the seeded generator behind the random cuts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BYTEWISE_EDGE, cutForFraming, Framing } from '../framing.ts';
import { deriveSeed, seededRandom } from '../seeded-random.ts';

const message = Buffer.from('set k 0 0 5\r\nhello\r\n', 'latin1');

describe('cutForFraming', { timeout: 5000 }, () => {
  test('whole framing writes one piece', () => {
    assert.deepEqual(cutForFraming(message, Framing.Whole, seededRandom(1)), [message]);
  });

  test('bytewise framing writes one byte per piece', () => {
    const pieces = cutForFraming(message, Framing.Bytewise, seededRandom(1));
    assert.equal(pieces.length, message.length);
    assert.ok(pieces.every((piece) => piece.length === 1));
    assert.deepEqual(Buffer.concat(pieces), message);
  });

  test('bytewise framing of a long payload cuts only its edges byte by byte', () => {
    const long = Buffer.alloc(10_000, 0x61);
    const pieces = cutForFraming(long, Framing.Bytewise, seededRandom(1));
    assert.equal(pieces.length, 2 * BYTEWISE_EDGE + 1);
    assert.equal(pieces[BYTEWISE_EDGE]!.length, long.length - 2 * BYTEWISE_EDGE);
    assert.deepEqual(Buffer.concat(pieces), long);
  });

  test('random framing keeps every byte, cuts more than once, and repeats for the same seed', () => {
    const first = cutForFraming(message, Framing.Random, seededRandom(42));
    const again = cutForFraming(message, Framing.Random, seededRandom(42));
    assert.deepEqual(Buffer.concat(first), message);
    assert.ok(first.length > 1, 'a 20-byte message should be cut at least once');
    assert.deepEqual(first.map((piece) => piece.length), again.map((piece) => piece.length));
  });

  test('different seeds cut differently', () => {
    const lengths = (seed: number) => cutForFraming(message, Framing.Random, seededRandom(seed)).map((piece) => piece.length).join(',');
    const distinct = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(lengths));
    assert.ok(distinct.size > 1, 'eight seeds should not all cut the same way');
  });

  test('a single byte is never cut', () => {
    const one = Buffer.from('x');
    for (const framing of [Framing.Whole, Framing.Bytewise, Framing.Random]) assert.deepEqual(cutForFraming(one, framing, seededRandom(1)), [one]);
  });
});

describe('seededRandom', { timeout: 5000 }, () => {
  test('yields numbers in [0, 1) and the same sequence for the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const value = a();
      assert.ok(value >= 0 && value < 1);
      assert.equal(value, b());
    }
  });

  test('deriveSeed gives each case its own seed', () => {
    assert.notEqual(deriveSeed(1, 1), deriveSeed(1, 2));
    assert.equal(deriveSeed(1, 1), deriveSeed(1, 1));
  });
});
