/** The memory map is consistent: no two header slots overlap, and every field is aligned for its view. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as layout from './layout.ts';

/** Each header slot with its width in bytes. */
const HEADER_SLOTS: readonly (readonly [string, number, number])[] = [
  ['LOCK', layout.LOCK, 4],
  ['MAGIC', layout.MAGIC, 4],
  ['BUCKET_MASK', layout.BUCKET_MASK, 4],
  ['MAX_ITEM_SIZE', layout.MAX_ITEM_SIZE, 4],
  ['ARENA_START', layout.ARENA_START, 4],
  ['ARENA_END', layout.ARENA_END, 4],
  ['ARENA_TOP', layout.ARENA_TOP, 4],
  ['NEXT_CAS', layout.NEXT_CAS, 8],
  ['FLUSH_EPOCH', layout.FLUSH_EPOCH, 4],
  ['FLUSH_AT', layout.FLUSH_AT, 8],
  ['NEXT_EXPIRY', layout.NEXT_EXPIRY, 8],
  ['SWEPT_FLUSH_EPOCH', layout.SWEPT_FLUSH_EPOCH, 4],
  ['FREE_LISTS', layout.FREE_LISTS, layout.CLASS_COUNT * 4],
  ['STATS', layout.STATS, layout.STAT_COUNT * 8],
  ['CLASS_STATS', layout.CLASS_STATS, layout.CLASS_COUNT * layout.CLASS_STAT_COUNT * 8],
];

const ITEM_FIELDS: readonly (readonly [string, number, number])[] = [
  ['ITEM_NEXT', layout.ITEM_NEXT, 4],
  ['ITEM_HASH', layout.ITEM_HASH, 4],
  ['ITEM_KEY_LENGTH', layout.ITEM_KEY_LENGTH, 2],
  ['ITEM_CLASS', layout.ITEM_CLASS, 1],
  ['ITEM_BITS', layout.ITEM_BITS, 1],
  ['ITEM_FLAGS', layout.ITEM_FLAGS, 4],
  ['ITEM_VALUE_LENGTH', layout.ITEM_VALUE_LENGTH, 4],
  ['ITEM_EPOCH', layout.ITEM_EPOCH, 4],
  ['ITEM_CAS', layout.ITEM_CAS, 8],
  ['ITEM_EXPIRES_AT', layout.ITEM_EXPIRES_AT, 8],
  ['ITEM_ACCESSED_AT', layout.ITEM_ACCESSED_AT, 8],
];

function checkNoOverlap(slots: readonly (readonly [string, number, number])[], end: number): void {
  const sorted = [...slots].sort((a, b) => a[1] - b[1]);
  for (let i = 0; i < sorted.length; i++) {
    const [name, offset, width] = sorted[i]!;
    // Scalars are aligned to their own width (arrays to their element's: 4 or 8, both divide 8).
    assert.equal(offset % Math.min(width, 8), 0, `${name} at ${offset} is not aligned`);
    const next = sorted[i + 1]?.[1] ?? end;
    assert.ok(offset + width <= next, `${name} (${offset}+${width}) overlaps the next slot at ${next}`);
  }
}

describe('layout', { timeout: 5000 }, () => {
  test('header slots are aligned and do not overlap; the header ends where the buckets start', () => {
    checkNoOverlap(HEADER_SLOTS, layout.HEADER_BYTES);
    assert.equal(layout.BUCKETS_START, layout.HEADER_BYTES);
    assert.equal(layout.HEADER_BYTES % 8, 0);
  });

  test('item fields are aligned and do not overlap; the key follows the header', () => {
    checkNoOverlap(ITEM_FIELDS, layout.ITEM_KEY);
    assert.equal(layout.ITEM_KEY % 8, 0);
    assert.ok(layout.ITEM_KEY < 2 ** layout.MIN_CLASS_SHIFT, 'the smallest block holds a header and a few bytes');
  });

  test('one counter per StoreStats field but the computed ones, numbered 0…n−1', () => {
    const indexes = Object.values(layout.STAT).sort((a, b) => a - b);
    assert.deepEqual(indexes, Array.from({ length: layout.STAT_COUNT }, (_, i) => i));
  });

  test('slot helpers', () => {
    assert.equal(layout.freeListHead(0), layout.FREE_LISTS);
    assert.equal(layout.freeListHead(layout.CLASS_COUNT - 1) + 4, layout.FREE_LISTS + layout.CLASS_COUNT * 4);
    assert.equal(layout.statSlot(layout.STAT_COUNT - 1) + 8, layout.CLASS_STATS);
    assert.equal(layout.classStatSlot(layout.CLASS_COUNT - 1, layout.CLASS_STAT_COUNT - 1) + 8, layout.HEADER_BYTES);
    assert.equal(layout.bucketSlot(3), layout.BUCKETS_START + 12);
  });
});
