/**
 * The size-class allocator on its own: class arithmetic, filling the arena to capacity, freeing and
 * reusing, and never handing out a byte past the arena's end.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ARENA_END, ARENA_START, ARENA_TOP, CLASS_COUNT, HEADER_BYTES } from './layout.ts';
import { blockBytes, SizeClassAllocator, sizeClassOf } from './size-class-allocator.ts';
import { StoreMemory } from './store-memory.ts';

/** An allocator over a bare arena of `arenaBytes` after the header (no buckets needed here). */
function arena(arenaBytes: number): { allocator: SizeClassAllocator; start: number; end: number } {
  const mem = new StoreMemory(new SharedArrayBuffer(HEADER_BYTES + arenaBytes));
  mem.setU32(ARENA_START, HEADER_BYTES);
  mem.setU32(ARENA_TOP, HEADER_BYTES);
  mem.setU32(ARENA_END, HEADER_BYTES + arenaBytes);
  return { allocator: new SizeClassAllocator(mem), start: HEADER_BYTES, end: HEADER_BYTES + arenaBytes };
}

describe('size classes', { timeout: 5000 }, () => {
  test('powers of two from 64 bytes', () => {
    assert.equal(sizeClassOf(1), 0);
    assert.equal(sizeClassOf(64), 0);
    assert.equal(sizeClassOf(65), 1);
    assert.equal(sizeClassOf(128), 1);
    assert.equal(sizeClassOf(129), 2);
    assert.equal(sizeClassOf(2 ** 20), 14);
    assert.equal(sizeClassOf(2 ** 30), CLASS_COUNT - 1);
    for (let c = 0; c < CLASS_COUNT; c++) {
      assert.equal(sizeClassOf(blockBytes(c)), c);
      assert.equal(sizeClassOf(blockBytes(c) + 1), c + 1);
    }
  });
});

describe('SizeClassAllocator', { timeout: 5000 }, () => {
  test('fills the arena exactly, then reports it full with 0', () => {
    const { allocator, start, end } = arena(64 * 10);
    const blocks = Array.from({ length: 10 }, () => allocator.allocLocked(50));
    assert.deepEqual(blocks, Array.from({ length: 10 }, (_, i) => start + 64 * i));
    assert.equal(allocator.allocLocked(50), 0);
    assert.ok(blocks.every((b) => b + 64 <= end));
  });

  test('never hands out a block that would cross the end, even when smaller ones still fit', () => {
    const { allocator, end } = arena(64 * 3);
    assert.equal(allocator.allocLocked(256), 0, 'a 256-byte block does not fit in 192 bytes');
    const block = allocator.allocLocked(128);
    assert.ok(block !== 0 && block + 128 <= end);
    assert.equal(allocator.allocLocked(128), 0);
    assert.notEqual(allocator.allocLocked(64), 0);
    assert.equal(allocator.allocLocked(1), 0);
  });

  test('a freed block is reused by its own class, last freed first', () => {
    const { allocator } = arena(64 * 4);
    const [a, b, c, d] = [1, 2, 3, 4].map(() => allocator.allocLocked(64));
    assert.equal(allocator.allocLocked(64), 0);
    allocator.freeLocked(b!);
    allocator.freeLocked(d!);
    assert.equal(allocator.allocLocked(40), d);
    assert.equal(allocator.allocLocked(64), b);
    assert.equal(allocator.allocLocked(64), 0);
    assert.notEqual(a, c);
  });

  test('classes do not mix: small free blocks cannot serve a large request', () => {
    const { allocator } = arena(256);
    const small = [1, 2, 3, 4].map(() => allocator.allocLocked(64));
    for (const block of small) allocator.freeLocked(block);
    assert.equal(allocator.allocLocked(128), 0, 'no splitting or merging: a known limit of this allocator');
    assert.equal(allocator.classOfBlock(allocator.allocLocked(64)), 0);
  });

  test('remembers each block\'s class across free and reuse', () => {
    const { allocator } = arena(4096);
    const big = allocator.allocLocked(1000);
    assert.equal(allocator.classOfBlock(big), sizeClassOf(1000));
    allocator.freeLocked(big);
    assert.equal(allocator.allocLocked(600), big);
    assert.equal(allocator.classOfBlock(big), 4);
  });

  test('refuses a size beyond the largest class', () => {
    const { allocator } = arena(64);
    assert.throws(() => allocator.allocLocked(2 ** 30 + 1), RangeError);
  });
});
