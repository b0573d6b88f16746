/**
 * Zero-copy gets (slab-pins.ts, SlabStore.valuePins): between begin and take a long enough value
 * is lent as a view of the store's buffer, and while it is pinned nothing changes its bytes — an
 * overwrite of the same size (which would otherwise rewrite in place), a delete, an incr, an
 * eviction flood, a page move — and once released, a removed item's chunk is freed. Outside
 * begin…take, and for short values, gets copy.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../shared/store/test/fake-clock-store.ts';
import { keyHash } from '../../../../shared/store/store-arguments.ts';
import { ArithResult, StoreMode, StoreResult, type Item, type PinList } from '../../../../shared/store/store.ts';
import { PINS_PER_STRIPE } from '../slab-layout.ts';
import { SlabStore } from '../slab-store.ts';
import { auditSlabStore } from './slab-audit.ts';

const MIB = 1024 * 1024;
const LEND_FROM = 1024;

function store(memoryBytes = 4 * MIB): { store: SlabStore; clock: FakeClock } {
  const clock = new FakeClock();
  return { store: SlabStore.create({ memoryBytes, now: clock.now }), clock };
}

/** A get inside begin…take: the item and the pins it took. */
function lendingGet(s: SlabStore, key: string): { item: Item | undefined; pins: PinList | null } {
  s.valuePins.begin(LEND_FROM);
  const item = s.get(key);
  return { item, pins: s.valuePins.take() };
}

function usedChunks(s: SlabStore): number {
  return s.sizeClassStats().classes.reduce((sum, c) => sum + c.usedChunks, 0);
}

const isView = (s: SlabStore, item: Item | undefined): boolean => item?.value.buffer === s.buffer;

describe('SlabStore value pins', () => {
  test('a long value is lent as a view of the store; a short one, and any get outside begin…take, is a copy', () => {
    const { store: s } = store();
    s.store(StoreMode.Set, 'long', 7, 0, Buffer.alloc(4000, 0x61));
    s.store(StoreMode.Set, 'short', 0, 0, Buffer.alloc(100, 0x62));
    const long = lendingGet(s, 'long');
    assert.ok(isView(s, long.item), 'the long value is a view of the store buffer');
    assert.equal(long.item!.flags, 7);
    assert.equal(long.pins?.length, 2, 'one pin: the item and its hash');
    const short = lendingGet(s, 'short');
    assert.ok(!isView(s, short.item) && short.pins === null, 'the short value is copied, nothing pinned');
    assert.ok(!isView(s, s.get('long')), 'outside begin…take a get copies');
    s.valuePins.release(long.pins);
    assert.deepEqual(auditSlabStore(s.buffer).problems, []);
  });

  test('while pinned, an overwrite of the same size takes fresh chunks; the release frees the old one', () => {
    const { store: s } = store();
    s.store(StoreMode.Set, 'k', 0, 0, Buffer.alloc(4000, 0x61));
    const { item, pins } = lendingGet(s, 'k');
    const before = usedChunks(s);
    assert.equal(s.store(StoreMode.Set, 'k', 0, 0, Buffer.alloc(4000, 0x62)).result, StoreResult.Stored);
    assert.ok(item!.value.every((b) => b === 0x61), 'the lent bytes are the old version, whole');
    assert.ok(s.get('k')!.value.every((b) => b === 0x62), 'a new get sees the new version');
    assert.equal(usedChunks(s), before + 1, 'the old version still holds its chunk');
    assert.equal(s.stats().curr_items, 1);
    s.valuePins.release(pins!);
    assert.equal(usedChunks(s), before, 'released: the old chunk is free again');
    assert.deepEqual(auditSlabStore(s.buffer).problems, []);
  });

  test('a value over the chunk maximum is lent as one view per data chunk, and stays whole through an overwrite', () => {
    const { store: s } = store(8 * MIB);
    const original = Buffer.alloc(700_000);
    for (let i = 0; i < original.length; i++) original[i] = i % 251;
    s.store(StoreMode.Set, 'huge', 0, 0, original);
    const before = usedChunks(s);
    const { item, pins } = lendingGet(s, 'huge');
    assert.ok(item!.pieces !== undefined && item!.pieces.length >= 2, 'lent in pieces');
    assert.equal(item!.value.length, 0);
    assert.ok(item!.pieces.every((piece) => piece.buffer === s.buffer), 'every piece is a view of the store');
    assert.equal(s.store(StoreMode.Set, 'huge', 0, 0, Buffer.alloc(700_000, 0x7a)).result, StoreResult.Stored);
    assert.ok(Buffer.concat(item!.pieces).equals(original), 'the lent pieces are the old version, whole');
    assert.ok(usedChunks(s) > before, 'the old version still holds its chunks');
    s.valuePins.release(pins!);
    assert.equal(usedChunks(s), before, 'released: its chunks are free again');
    assert.deepEqual(auditSlabStore(s.buffer).problems, []);
  });

  test('while pinned, a delete unlinks the item but keeps its bytes until the release', () => {
    const { store: s } = store();
    s.store(StoreMode.Set, 'k', 0, 0, Buffer.alloc(4000, 0x61));
    const { item, pins } = lendingGet(s, 'k');
    assert.ok(s.delete('k'));
    assert.equal(s.get('k'), undefined);
    s.store(StoreMode.Set, 'other', 0, 0, Buffer.alloc(4000, 0x63));
    assert.ok(item!.value.every((b) => b === 0x61), 'the freed-later chunk was not reused');
    assert.equal(usedChunks(s), 2);
    s.valuePins.release(pins!);
    assert.equal(usedChunks(s), 1);
    assert.deepEqual(auditSlabStore(s.buffer).problems, []);
  });

  test('an incr of a pinned counter writes a new version instead of rewriting the lent bytes', () => {
    const { store: s } = store();
    const padded = Buffer.from('5'.padEnd(2000, ' '), 'latin1');
    s.store(StoreMode.Set, 'n', 0, 0, padded);
    const { item, pins } = lendingGet(s, 'n');
    const outcome = s.incrDecr('n', true, 1n);
    assert.equal(outcome.result, ArithResult.Ok);
    assert.equal(item!.value.toString('latin1'), padded.toString('latin1'), 'the lent bytes still read 5');
    assert.equal(s.get('n')!.value.toString('latin1'), '6');
    s.valuePins.release(pins!);
    assert.deepEqual(auditSlabStore(s.buffer).problems, []);
  });

  test('eviction passes over a pinned item at the tail of its LRU; released, it can go', () => {
    const { store: s, clock } = store(MIB);
    s.store(StoreMode.Set, 'pinned', 0, 0, Buffer.alloc(4000, 0x61));
    const { item, pins } = lendingGet(s, 'pinned');
    for (let i = 0; i < 2000; i++) {
      clock.advance(1);
      assert.equal(s.store(StoreMode.Set, `flood${i}`, 0, 0, Buffer.alloc(4000, 0x62)).result, StoreResult.Stored);
    }
    assert.ok(s.stats().evictions > 0, 'the flood evicted');
    assert.ok(item!.value.every((b) => b === 0x61), 'the lent bytes are whole');
    // inspect (memcached's `me`) looks without fetching, which would give the item another chance.
    assert.ok(s.inspect('pinned') !== undefined, 'the pinned item was never the victim');
    s.valuePins.release(pins!);
    for (let i = 0; i < 2000 && s.inspect('pinned') !== undefined; i++) {
      clock.advance(1);
      s.store(StoreMode.Set, `again${i}`, 0, 0, Buffer.alloc(4000, 0x62));
    }
    assert.equal(s.inspect('pinned'), undefined, 'unpinned, it is evicted like any other');
    assert.deepEqual(auditSlabStore(s.buffer).problems, []);
  });

  test('a page holding a pinned item is not moved (BUSY), and is once the pin is gone', () => {
    const { store: s } = store(MIB * 4);
    // Two pages of class A, so `slabs reassign` may take one.
    let i = 0;
    while (s.sizeClassStats().classes[0]?.totalPages !== 2) s.store(StoreMode.Set, `a${i++}`, 0, 0, Buffer.alloc(4000, 0x61));
    // Every item lent (as many as the stripes' slots allow): whichever page moves holds a pinned one.
    s.valuePins.begin(LEND_FROM);
    for (let k = 0; k < i; k++) s.get(`a${k}`);
    const pins = s.valuePins.take();
    const classId = s.sizeClassStats().classes[0]!.id;
    assert.equal(s.admin.reassign(classId, classId + 1), 'BUSY');
    s.valuePins.release(pins!);
    assert.equal(s.admin.reassign(classId, classId + 1), 'OK');
    assert.deepEqual(auditSlabStore(s.buffer).problems, []);
  });

  test('when its stripe has no free pin slot, a get copies instead', () => {
    const { store: s } = store();
    // Keys that share one stripe: the same hash bits under the store's stripe mask.
    const mask = 1023;
    const stripe = keyHash('s0') & mask;
    const keys = ['s0'];
    for (let n = 1; keys.length < PINS_PER_STRIPE + 1; n++) if ((keyHash(`s${n}`) & mask) === stripe) keys.push(`s${n}`);
    for (const key of keys) s.store(StoreMode.Set, key, 0, 0, Buffer.alloc(2000, 0x61));
    s.valuePins.begin(LEND_FROM);
    const items = keys.map((key) => s.get(key));
    const pins = s.valuePins.take();
    assert.deepEqual(items.map((item) => isView(s, item)), [...keys.slice(0, PINS_PER_STRIPE).map(() => true), false]);
    assert.equal(pins!.length, PINS_PER_STRIPE * 2);
    s.valuePins.release(pins!);
  });
});
