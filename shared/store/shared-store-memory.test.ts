/**
 * SharedStore when memory runs out: a fixed capacity, NO_MEMORY, reuse of freed blocks, and the
 * sweep that reclaims expired and flushed items before giving up.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ITEM_KEY } from './layout.ts';
import { ArithResult, StoreMode, StoreResult } from './store.ts';
import { bytes, storeOnFakeClock, valueOf } from './test/fake-clock-store.ts';

const { Set, Replace, Append } = StoreMode;

/** Items of exactly one 64-byte block: a 48-byte header, a 3-byte key, 13 value bytes. */
const BLOCK = 64;
const SLOTS = 16;
const key = (i: number) => `k${String(i).padStart(2, '0')}`;
const value = (i: number) => bytes(`value-${String(i).padStart(7, '0')}`);

/** A store whose arena holds exactly SLOTS one-block items, filled with them. */
function fullStore(exptime = 0) {
  const fixture = storeOnFakeClock(BLOCK * SLOTS);
  assert.equal(ITEM_KEY + key(0).length + value(0).length, BLOCK);
  for (let i = 0; i < SLOTS; i++) {
    assert.equal(fixture.store.store(Set, key(i), 0, exptime, value(i)).result, StoreResult.Stored, key(i));
  }
  return fixture;
}

describe('SharedStore: a fixed capacity', { timeout: 5000 }, () => {
  test('fills to capacity, then answers NO_MEMORY and keeps every stored value intact', () => {
    const { store } = fullStore();
    assert.equal(store.store(Set, 'new', 0, 0, bytes('x')).result, StoreResult.NoMemory);
    assert.equal(store.incrDecr('n', true, 1n, { initial: 1n, exptime: 0 }).result, ArithResult.NoMemory);
    for (let i = 0; i < SLOTS; i++) assert.deepEqual(store.get(key(i))!.value, value(i));
    const stats = store.stats();
    assert.equal(stats.curr_items, SLOTS);
    assert.equal(stats.limit_maxbytes, BLOCK * SLOTS);
  });

  test('a deleted item\'s block is reused', () => {
    const { store } = fullStore();
    store.delete(key(3));
    assert.equal(store.store(Set, 'new', 0, 0, bytes('x')).result, StoreResult.Stored);
    assert.equal(store.store(Set, 'one-more', 0, 0, bytes('x')).result, StoreResult.NoMemory);
  });

  test('overwriting a key in a full store works when the new value fits the same block', () => {
    const { store } = fullStore();
    assert.equal(store.store(Set, key(5), 1, 0, bytes('short')).result, StoreResult.Stored);
    assert.equal(store.store(Replace, key(6), 0, 0, bytes('also short')).result, StoreResult.Stored);
    assert.equal(store.incrDecr(key(7), true, 1n).result, ArithResult.NonNumeric);
    assert.deepEqual([valueOf(store.get(key(5))), valueOf(store.get(key(6)))], ['short', 'also short']);
  });

  test('a value that needs a bigger block: set drops the old value (as memcached), replace keeps it', () => {
    const { store } = fullStore();
    const bigger = Buffer.alloc(100, 120);
    assert.equal(store.store(Replace, key(1), 0, 0, bigger).result, StoreResult.NoMemory);
    assert.deepEqual(store.get(key(1))!.value, value(1));
    assert.equal(store.store(Append, key(1), 0, 0, bigger).result, StoreResult.NoMemory);
    assert.deepEqual(store.get(key(1))!.value, value(1));
    assert.equal(store.store(Set, key(2), 0, 0, bigger).result, StoreResult.NoMemory);
    assert.equal(store.get(key(2)), undefined);
  });

  test('a counter that outgrows its block in a full store is NO_MEMORY and keeps its value', () => {
    const fixture = storeOnFakeClock(BLOCK * 2);
    const { store } = fixture;
    // 48 + 3 + 13 = 64: one block each; the counter's 13 digits grow past it at 10^13.
    store.store(Set, 'n00', 0, 0, bytes('9999999999999'));
    store.store(Set, 'x00', 0, 0, value(0));
    assert.equal(store.incrDecr('n00', true, 1n).result, ArithResult.NoMemory);
    assert.equal(valueOf(store.get('n00')), '9999999999999');
  });
});

describe('SharedStore: reclaiming memory when full', { timeout: 5000 }, () => {
  test('expired items are swept and their memory reused; unread ones count as expired_unfetched', () => {
    const { store, clock } = fullStore(10);
    store.get(key(0)); // fetched once: reclaimed, but not "unfetched"
    clock.advance(10_000);
    assert.equal(store.store(Set, 'fresh', 0, 0, bytes('x')).result, StoreResult.Stored);
    const stats = store.stats();
    assert.equal(stats.reclaimed, SLOTS);
    assert.equal(stats.expired_unfetched, SLOTS - 1);
    assert.equal(stats.curr_items, 1);
    assert.equal(valueOf(store.get('fresh')), 'x');
  });

  test('only what has expired is swept; live items survive the sweep', () => {
    const { store, clock } = storeOnFakeClock(BLOCK * SLOTS);
    for (let i = 0; i < SLOTS; i++) store.store(Set, key(i), 0, i % 2 === 0 ? 5 : 0, value(i));
    clock.advance(5000);
    for (let i = 0; i < SLOTS / 2; i++) assert.equal(store.store(Set, `n${i}`, 0, 0, bytes('x')).result, StoreResult.Stored);
    assert.equal(store.store(Set, 'too-many', 0, 0, bytes('x')).result, StoreResult.NoMemory);
    for (let i = 1; i < SLOTS; i += 2) assert.deepEqual(store.get(key(i))!.value, value(i));
  });

  test('an item touched to a later time is not swept when its first exptime passes', () => {
    const { store, clock } = fullStore(5);
    for (let i = 0; i < SLOTS; i++) store.touch(key(i), 100);
    clock.advance(5000);
    assert.equal(store.store(Set, 'new', 0, 0, bytes('x')).result, StoreResult.NoMemory);
    assert.equal(store.stats().reclaimed, 0);
    clock.advance(95_000);
    assert.equal(store.store(Set, 'new', 0, 0, bytes('x')).result, StoreResult.Stored);
  });

  test('flushed items are swept too', () => {
    const { store } = fullStore();
    store.flushAll();
    for (let i = 0; i < SLOTS; i++) assert.equal(store.store(Set, `new${i}`, 0, 0, bytes('x')).result, StoreResult.Stored);
    assert.equal(store.stats().reclaimed, SLOTS);
    assert.equal(store.stats().curr_items, SLOTS);
  });

  test('a store full of live items answers NO_MEMORY again and again without losing anything', () => {
    const { store, clock } = fullStore(60);
    for (let round = 0; round < 50; round++) {
      clock.advance(100);
      assert.equal(store.store(Set, `new${round}`, 0, 0, bytes('x')).result, StoreResult.NoMemory);
    }
    assert.equal(store.stats().curr_items, SLOTS);
    assert.equal(store.stats().reclaimed, 0);
  });
});

describe('SharedStore: large items', { timeout: 10000 }, () => {
  test('a 1 MiB-limit item fits in a store with room for it, and comes back intact', () => {
    const { store } = storeOnFakeClock(4 * 1024 * 1024);
    const big = Buffer.alloc(store.maxItemSize - 100, 7);
    big[0] = 1;
    big[big.length - 1] = 2;
    assert.equal(store.store(Set, 'big', 0, 0, big).result, StoreResult.Stored);
    assert.deepEqual(store.get('big')!.value, big);
  });

  test('an item under the size limit but larger than the whole arena is NO_MEMORY', () => {
    const { store } = storeOnFakeClock(64 * 1024);
    assert.equal(store.store(Set, 'big', 0, 0, Buffer.alloc(100_000)).result, StoreResult.NoMemory);
  });
});
