/**
 * SharedStore's counters follow memcached's `stats`. Each case replays a transcript sent to real
 * memcached 1.6.18 and expects the counter changes memcached showed (its comment has the commands).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SharedStore } from './shared-store.ts';
import { StoreMode, type StoreStats } from './store.ts';
import { bytes, storeOnFakeClock } from './test/fake-clock-store.ts';

const { Set, Add, Replace, Append, Prepend, Cas } = StoreMode;

/** The counters that changed while `run` ran, with their change (limit_maxbytes never does). */
function changes(store: SharedStore, run: () => void): Partial<StoreStats> {
  const before = store.stats();
  run();
  const after = store.stats();
  const changed: Partial<StoreStats> = {};
  for (const name of Object.keys(after) as (keyof StoreStats)[]) {
    if (after[name] !== before[name]) changed[name] = after[name] - before[name];
  }
  return changed;
}

describe('SharedStore: stats as memcached counts them', { timeout: 5000 }, () => {
  test('multi-key get counts cmd_get per key', () => {
    // get nokey1 nokey2 nokey3
    const { store } = storeOnFakeClock();
    assert.deepEqual(changes(store, () => ['nokey1', 'nokey2', 'nokey3'].forEach((k) => store.get(k))), { cmd_get: 3, get_misses: 3 });
  });

  test('set, then hits and a miss; bytes as memcached charges an item', () => {
    // set x 0 0 1 / a / get x x nokey
    const { store } = storeOnFakeClock();
    const delta = changes(store, () => {
      store.store(Set, 'x', 0, 0, bytes('a'));
      ['x', 'x', 'nokey'].forEach((k) => store.get(k));
    });
    assert.deepEqual(delta, { curr_items: 1, total_items: 1, bytes: 61, cmd_get: 3, cmd_set: 1, get_hits: 2, get_misses: 1 });
  });

  test('gat counts as a touch, not as a get; so does touch', () => {
    // gat 100 x nokey / touch x 100 / touch nokey 100
    const { store } = storeOnFakeClock();
    store.store(Set, 'x', 0, 0, bytes('a'));
    assert.deepEqual(changes(store, () => ['x', 'nokey'].forEach((k) => store.getAndTouch(k, 100))), { cmd_touch: 2, touch_hits: 1, touch_misses: 1 });
    assert.deepEqual(changes(store, () => ['x', 'nokey'].forEach((k) => store.touch(k, 100))), { cmd_touch: 2, touch_hits: 1, touch_misses: 1 });
  });

  test('any command that finds an expired item counts get_expired', () => {
    // set d 0 -1 1 / delete d / set d … / incr d 1 / set d … / touch d 10 / set d … / append d …
    const { store } = storeOnFakeClock();
    const delta = changes(store, () => {
      store.store(Set, 'd', 0, -1, bytes('a'));
      store.delete('d');
      store.store(Set, 'd', 0, -1, bytes('5'));
      store.incrDecr('d', true, 1n);
      store.store(Set, 'd', 0, -1, bytes('5'));
      store.touch('d', 10);
      store.store(Set, 'd', 0, -1, bytes('5'));
      store.store(Append, 'd', 0, 0, bytes('x'));
    });
    assert.deepEqual(delta, { total_items: 4, cmd_set: 5, cmd_touch: 1, get_expired: 4, delete_misses: 1, incr_misses: 1, touch_misses: 1 });
  });

  test('incr/decr hits and misses; a non-numeric value counts neither', () => {
    // set n 0 0 1 / 5 / incr n 1 / decr n 1 / incr nokey 1 / decr nokey 1 / set t 0 0 1 / x / incr t 1
    const { store } = storeOnFakeClock();
    const delta = changes(store, () => {
      store.store(Set, 'n', 0, 0, bytes('5'));
      store.incrDecr('n', true, 1n);
      store.incrDecr('n', false, 1n);
      store.incrDecr('nokey', true, 1n);
      store.incrDecr('nokey', false, 1n);
      store.store(Set, 't', 0, 0, bytes('x'));
      store.incrDecr('t', true, 1n);
    });
    assert.deepEqual(delta, { curr_items: 2, total_items: 2, bytes: 122, cmd_set: 2, incr_hits: 1, incr_misses: 1, decr_hits: 1, decr_misses: 1 });
  });

  test('every storage command counts cmd_set, whatever it answers; cas has its own three', () => {
    // cas n 0 0 1 1 / cas nokey … / append nokey / prepend nokey / replace nokey / add n
    const { store } = storeOnFakeClock();
    store.store(Set, 'n', 0, 0, bytes('5'));
    const delta = changes(store, () => {
      store.store(Cas, 'n', 0, 0, bytes('7'), 1234n);
      store.store(Cas, 'nokey', 0, 0, bytes('7'), 1n);
      for (const mode of [Append, Prepend, Replace]) store.store(mode, 'nokey', 0, 0, bytes('7'));
      store.store(Add, 'n', 0, 0, bytes('7'));
    });
    assert.deepEqual(delta, { cmd_set: 6, cas_misses: 1, cas_badval: 1 });
    const cas = store.get('n')!.cas;
    assert.deepEqual(changes(store, () => store.store(Cas, 'n', 0, 0, bytes('8'), cas)), { total_items: 1, cmd_set: 1, cas_hits: 1 });
  });

  test('a too-large value counts no cmd_set', () => {
    // set tl 0 0 1 / a / set tl 0 0 2000000 … / append tl 0 0 2000000 …
    const { store } = storeOnFakeClock(4 * 1024 * 1024);
    const huge = Buffer.alloc(2_000_000);
    const delta = changes(store, () => {
      store.store(Set, 'tl', 0, 0, bytes('a'));
      store.store(Set, 'tl', 0, 0, huge);
      store.store(Append, 'tl', 0, 0, huge);
    });
    // memcached showed total_items 1, cmd_set 1 (its curr_items and bytes went back to 0 too).
    assert.deepEqual(delta, { total_items: 1, cmd_set: 1 });
  });

  test('flush_all counts cmd_flush; a flushed item found later counts get_flushed', () => {
    // set f 0 0 1 / a / flush_all / get f / set f2 0 0 1 / b / get f2
    const { store } = storeOnFakeClock();
    const delta = changes(store, () => {
      store.store(Set, 'f', 0, 0, bytes('a'));
      store.flushAll();
      store.get('f');
      store.store(Set, 'f2', 0, 0, bytes('b'));
      store.get('f2');
    });
    assert.deepEqual(delta, { curr_items: 1, total_items: 2, bytes: 62, cmd_get: 2, cmd_set: 2, cmd_flush: 1, get_hits: 1, get_misses: 1, get_flushed: 1 });
  });

  test('a number rewritten in place changes no item count; one that grows is a new item', () => {
    // set q 0 0 2 / 99 / incr q 1 → 100 (new item) / decr q 1000 → "0  " (in place)
    const { store } = storeOnFakeClock();
    store.store(Set, 'q', 0, 0, bytes('99'));
    assert.deepEqual(changes(store, () => store.incrDecr('q', true, 1n)), { total_items: 1, bytes: 1, incr_hits: 1 });
    assert.deepEqual(changes(store, () => store.incrDecr('q', false, 1000n)), { decr_hits: 1 });
  });

  test('the binary create-on-miss counts a new item but neither a miss nor a set', () => {
    // binary increment, key bc, delta 5, initial 10, expiration 0, twice
    const { store } = storeOnFakeClock();
    const delta = changes(store, () => {
      store.incrDecr('bc', true, 5n, { initial: 10n, exptime: 0 });
      store.incrDecr('bc', true, 5n, { initial: 10n, exptime: 0 });
    });
    assert.deepEqual(delta, { curr_items: 1, total_items: 1, bytes: 63, incr_hits: 1 });
  });

  test('limit_maxbytes is the configured memory', () => {
    const { store } = storeOnFakeClock(5 * 1024 * 1024);
    assert.equal(store.stats().limit_maxbytes, 5 * 1024 * 1024);
    assert.equal(store.stats().evictions, 0);
  });
});
