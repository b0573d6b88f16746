/**
 * SharedStore's storage and retrieval commands, one behaviour per test, each as memcached 1.6
 * answers it: set/add/replace/append/prepend/cas, get, gat, touch, delete, size limits, keys,
 * argument checks, and attaching a second view to the same memory.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { itemTotalSize, MAX_KEY_LENGTH } from './item-size.ts';
import { SharedStore } from './shared-store.ts';
import { StoreMode, StoreResult } from './store.ts';
import { bytes, storeOnFakeClock, valueOf } from './test/fake-clock-store.ts';

const { Set, Add, Replace, Append, Prepend, Cas } = StoreMode;

describe('SharedStore: set and get', { timeout: 5000 }, () => {
  test('set stores; get returns a private copy with flags and CAS', () => {
    const { store } = storeOnFakeClock();
    const outcome = store.store(Set, 'k', 0xffffffff, 0, bytes('hello'));
    assert.equal(outcome.result, StoreResult.Stored);
    assert.ok(outcome.cas > 0);
    const item = store.get('k')!;
    assert.deepEqual({ key: item.key, flags: item.flags, value: valueOf(item), cas: item.cas }, { key: 'k', flags: 0xffffffff, value: 'hello', cas: outcome.cas });
    item.value.fill(0);
    assert.equal(valueOf(store.get('k')), 'hello', 'changing the copy changes nothing stored');
  });

  test('get of a missing key is undefined', () => {
    const { store } = storeOnFakeClock();
    assert.equal(store.get('nope'), undefined);
  });

  test('set replaces the value, flags and CAS; the CAS changes on every modification', () => {
    const { store } = storeOnFakeClock();
    const first = store.store(Set, 'k', 1, 0, bytes('one'));
    const second = store.store(Set, 'k', 2, 0, bytes('a longer second value'));
    assert.ok(second.cas > first.cas);
    const item = store.get('k')!;
    assert.equal(valueOf(item), 'a longer second value');
    assert.equal(item.flags, 2);
    assert.equal(item.cas, second.cas);
  });

  test('empty values and binary bytes survive unchanged', () => {
    const { store } = storeOnFakeClock();
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    store.store(Set, 'empty', 0, 0, Buffer.alloc(0));
    store.store(Set, 'binary', 0, 0, all);
    assert.equal(store.get('empty')!.value.length, 0);
    assert.deepEqual(store.get('binary')!.value, all);
  });

  test('keys are latin1 strings of up to 250 bytes, compared byte for byte', () => {
    const { store } = storeOnFakeClock();
    const longest = 'k'.repeat(MAX_KEY_LENGTH);
    const high = '\u00e9t\u00e9\u00ff';
    store.store(Set, longest, 0, 0, bytes('long'));
    store.store(Set, high, 0, 0, bytes('latin1'));
    assert.equal(valueOf(store.get(longest)), 'long');
    assert.equal(valueOf(store.get(high)), 'latin1');
    assert.equal(store.get('k'.repeat(MAX_KEY_LENGTH - 1)), undefined);
    assert.equal(store.get('\u00e9t\u00e9\u00fe'), undefined);
  });

  test('many keys in few buckets: chains hold them all, and removing from a chain keeps the rest', () => {
    // A 2 KiB arena gets the minimum of 16 buckets and holds 32 of these 64-byte items.
    const { store } = storeOnFakeClock(2048);
    const keys = Array.from({ length: 32 }, (_, i) => `key:${i}`);
    for (const key of keys) store.store(Set, key, 0, 0, bytes(key));
    for (const key of keys.filter((_, i) => i % 3 === 0)) assert.equal(store.delete(key), true);
    keys.forEach((key, i) => assert.equal(valueOf(store.get(key)), i % 3 === 0 ? undefined : key));
  });
});

describe('SharedStore: add, replace, cas', { timeout: 5000 }, () => {
  test('add stores only a missing key', () => {
    const { store } = storeOnFakeClock();
    assert.equal(store.store(Add, 'k', 0, 0, bytes('first')).result, StoreResult.Stored);
    assert.equal(store.store(Add, 'k', 0, 0, bytes('second')).result, StoreResult.NotStored);
    assert.equal(valueOf(store.get('k')), 'first');
  });

  test('replace stores only an existing key', () => {
    const { store } = storeOnFakeClock();
    assert.equal(store.store(Replace, 'k', 0, 0, bytes('x')).result, StoreResult.NotStored);
    assert.equal(store.get('k'), undefined);
    store.store(Set, 'k', 0, 0, bytes('old'));
    assert.equal(store.store(Replace, 'k', 7, 0, bytes('new')).result, StoreResult.Stored);
    assert.deepEqual([valueOf(store.get('k')), store.get('k')!.flags], ['new', 7]);
  });

  test('cas: NOT_FOUND when missing, EXISTS when the CAS moved on, STORED when it matches', () => {
    const { store } = storeOnFakeClock();
    assert.equal(store.store(Cas, 'k', 0, 0, bytes('x'), 1n).result, StoreResult.NotFound);
    const { cas } = store.store(Set, 'k', 0, 0, bytes('v1'));
    store.store(Set, 'k', 0, 0, bytes('v2'));
    assert.equal(store.store(Cas, 'k', 0, 0, bytes('lost'), cas).result, StoreResult.Exists);
    const current = store.get('k')!.cas;
    const won = store.store(Cas, 'k', 3, 0, bytes('won'), current);
    assert.equal(won.result, StoreResult.Stored);
    assert.deepEqual([valueOf(store.get('k')), store.get('k')!.flags, store.get('k')!.cas], ['won', 3, won.cas]);
  });

  test('cas with unique 0 never matches: EXISTS, as memcached answers `cas k 0 0 1 0`', () => {
    const { store } = storeOnFakeClock();
    store.store(Set, 'k', 0, 0, bytes('a'));
    assert.equal(store.store(Cas, 'k', 0, 0, bytes('b'), 0n).result, StoreResult.Exists);
    assert.equal(valueOf(store.get('k')), 'a');
  });
});

describe('SharedStore: append and prepend', { timeout: 5000 }, () => {
  test('need an existing item', () => {
    const { store } = storeOnFakeClock();
    assert.equal(store.store(Append, 'k', 0, 0, bytes('x')).result, StoreResult.NotStored);
    assert.equal(store.store(Prepend, 'k', 0, 0, bytes('x')).result, StoreResult.NotStored);
    assert.equal(store.get('k'), undefined);
  });

  test('keep the original flags and exptime, whatever the command says', () => {
    const { store, clock } = storeOnFakeClock();
    store.store(Set, 'k', 9, 10, bytes('mid'));
    store.store(Append, 'k', 1, 0, bytes('>>'));
    store.store(Prepend, 'k', 2, 1000, bytes('<<'));
    const item = store.get('k')!;
    assert.deepEqual([valueOf(item), item.flags], ['<<mid>>', 9]);
    clock.advance(10_000);
    assert.equal(store.get('k'), undefined, 'the original 10 s exptime still applies');
  });

  test('grow across size classes in both directions, in place and into a new block', () => {
    const { store } = storeOnFakeClock();
    store.store(Set, 'k', 0, 0, bytes('m'));
    let expected = 'm';
    for (let i = 0; i < 12; i++) {
      const piece = String.fromCharCode(97 + i).repeat(i * 7);
      const cas = store.get('k')!.cas;
      const mode = i % 2 === 0 ? Append : Prepend;
      const outcome = store.store(mode, 'k', 0, 0, bytes(piece));
      assert.equal(outcome.result, StoreResult.Stored);
      assert.ok(outcome.cas > cas);
      expected = mode === Append ? expected + piece : piece + expected;
      assert.equal(valueOf(store.get('k')), expected);
    }
  });

  test('a combined value over the size limit is NOT_STORED and the old value stays', () => {
    const { store } = storeOnFakeClock(4 * 1024 * 1024, 2048);
    store.store(Set, 'k', 0, 0, Buffer.alloc(1000, 97));
    assert.equal(store.store(Append, 'k', 0, 0, Buffer.alloc(1000, 98)).result, StoreResult.NotStored);
    assert.equal(store.get('k')!.value.length, 1000);
  });
});

describe('SharedStore: the item size limit', { timeout: 5000 }, () => {
  test('charges key + value + memcached\'s per-item overhead against maxItemSize', () => {
    const { store } = storeOnFakeClock(4 * 1024 * 1024);
    assert.equal(store.maxItemSize, 1024 * 1024);
    const fits = store.maxItemSize - itemTotalSize(1, 0);
    assert.equal(store.store(Set, 'k', 0, 0, Buffer.alloc(fits)).result, StoreResult.Stored);
    assert.equal(store.store(Set, 'j', 0, 0, Buffer.alloc(fits + 1)).result, StoreResult.TooLarge);
  });

  test('a too-large set removes the existing item; a too-large add, replace or append does not', () => {
    const { store } = storeOnFakeClock(4 * 1024 * 1024, 1024);
    const huge = Buffer.alloc(2000);
    for (const mode of [Add, Replace, Append, Prepend, Cas]) {
      store.store(Set, 'k', 0, 0, bytes('keep'));
      assert.equal(store.store(mode, 'k', 0, 0, huge, 1n).result, StoreResult.TooLarge);
      assert.equal(valueOf(store.get('k')), 'keep', mode);
    }
    assert.equal(store.store(Set, 'k', 0, 0, huge).result, StoreResult.TooLarge);
    assert.equal(store.get('k'), undefined);
    assert.equal(store.store(Set, 'never', 0, 0, huge).result, StoreResult.TooLarge);
  });
});

describe('SharedStore: delete, touch, gat', { timeout: 5000 }, () => {
  test('delete removes an item once', () => {
    const { store } = storeOnFakeClock();
    store.store(Set, 'k', 0, 0, bytes('v'));
    assert.equal(store.delete('k'), true);
    assert.equal(store.delete('k'), false);
    assert.equal(store.get('k'), undefined);
  });

  test('touch sets a new exptime without changing the value or the CAS', () => {
    const { store, clock } = storeOnFakeClock();
    const { cas } = store.store(Set, 'k', 0, 1, bytes('v'));
    assert.equal(store.touch('k', 100), true);
    assert.equal(store.touch('missing', 100), false);
    clock.advance(50_000);
    assert.deepEqual([valueOf(store.get('k')), store.get('k')!.cas], ['v', cas]);
    clock.advance(50_000);
    assert.equal(store.get('k'), undefined);
  });

  test('touch with a negative exptime expires the item', () => {
    const { store } = storeOnFakeClock();
    store.store(Set, 'k', 0, 0, bytes('v'));
    assert.equal(store.touch('k', -1), true);
    assert.equal(store.get('k'), undefined);
  });

  test('gat returns the item and sets its exptime; a miss is undefined', () => {
    const { store, clock } = storeOnFakeClock();
    store.store(Set, 'k', 5, 0, bytes('v'));
    const item = store.getAndTouch('k', 2)!;
    assert.deepEqual([valueOf(item), item.flags], ['v', 5]);
    assert.equal(store.getAndTouch('missing', 2), undefined);
    clock.advance(2000);
    assert.equal(store.get('k'), undefined);
  });

  test('gat with a negative exptime returns the item one last time', () => {
    const { store } = storeOnFakeClock();
    store.store(Set, 'k', 0, 0, bytes('v'));
    assert.equal(valueOf(store.getAndTouch('k', -1)), 'v');
    assert.equal(store.get('k'), undefined);
  });
});

describe('SharedStore: create, attach, arguments', { timeout: 5000 }, () => {
  test('attach sees the same items, and writes through it are seen by the creator', () => {
    const { store } = storeOnFakeClock();
    const other = SharedStore.attach(store.buffer);
    store.store(Set, 'a', 0, 0, bytes('from creator'));
    other.store(Set, 'b', 0, 0, bytes('from attacher'));
    assert.equal(valueOf(other.get('a')), 'from creator');
    assert.equal(valueOf(store.get('b')), 'from attacher');
    assert.equal(other.maxItemSize, store.maxItemSize);
  });

  test('attach refuses a buffer that is not a store', () => {
    assert.throws(() => SharedStore.attach(new SharedArrayBuffer(4096)), TypeError);
  });

  test('create refuses sizes out of range', () => {
    assert.throws(() => SharedStore.create({ memoryBytes: 32 }), RangeError);
    assert.throws(() => SharedStore.create({ memoryBytes: 2 ** 31 + 8 }), RangeError);
    assert.throws(() => SharedStore.create({ memoryBytes: 1.5 }), RangeError);
    assert.throws(() => SharedStore.create({ memoryBytes: 4096, maxItemSize: 100 }), RangeError);
    assert.throws(() => SharedStore.create({ memoryBytes: 4096, maxItemSize: 2 ** 30 + 1 }), RangeError);
  });

  test('a wrong argument throws before touching anything', () => {
    const { store } = storeOnFakeClock();
    assert.throws(() => store.get('k'.repeat(MAX_KEY_LENGTH + 1)), RangeError);
    assert.throws(() => store.get('\u20ac'), RangeError);
    assert.throws(() => store.store(Set, 'k', -1, 0, bytes('v')), RangeError);
    assert.throws(() => store.store(Set, 'k', 2 ** 32, 0, bytes('v')), RangeError);
    assert.throws(() => store.store(Set, 'k', 0, 0.5, bytes('v')), RangeError);
    assert.throws(() => store.touch('k', Number.NaN), RangeError);
    assert.throws(() => store.incrDecr('k', true, -1n), RangeError);
    assert.throws(() => store.incrDecr('k', true, 2n ** 64n), RangeError);
    assert.throws(() => store.incrDecr('k', true, 1n, { initial: -1n, exptime: 0 }), RangeError);
    assert.equal(store.stats().cmd_set, 0);
    store.store(Set, 'k', 0, 0, bytes('still works'));
    assert.equal(valueOf(store.get('k')), 'still works');
  });
});
