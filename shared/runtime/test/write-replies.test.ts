/** The write path's coalescing: small pieces joined, a value of 1 KiB or more left as it is, order kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesce, GATHER_FROM_BYTES } from '../write-replies.ts';

const piece = (length: number, fill: string) => Buffer.alloc(length, fill);

test('small pieces are joined into one buffer', () => {
  const chunks = [piece(10, 'a'), piece(100, 'b'), piece(GATHER_FROM_BYTES - 1, 'c')];
  const pieces = coalesce(chunks);
  assert.equal(pieces.length, 1);
  assert.ok(pieces[0]!.equals(Buffer.concat(chunks)));
});

test('a value of the threshold or more stays as it is, between joined runs, in order', () => {
  const value = piece(GATHER_FROM_BYTES, 'v');
  const big = piece(GATHER_FROM_BYTES * 64, 'w');
  const chunks = [piece(20, 'h'), value, piece(2, 'r'), piece(20, 'h'), big, piece(7, 'e')];
  const pieces = coalesce(chunks);
  assert.equal(pieces.length, 5);
  assert.equal(pieces[1], value, 'the value itself is handed over, not a copy');
  assert.equal(pieces[3], big);
  assert.ok(Buffer.concat(pieces).equals(Buffer.concat(chunks)), 'every byte, in order');
});

test('a lone small piece and an empty list are kept as they are', () => {
  const one = piece(5, 'x');
  assert.deepEqual(coalesce([one]), [one]);
  assert.deepEqual(coalesce([]), []);
  const pieces = coalesce([piece(GATHER_FROM_BYTES, 'v'), piece(GATHER_FROM_BYTES, 'w')]);
  assert.equal(pieces.length, 2, 'two values side by side: two pieces, nothing joined');
});
