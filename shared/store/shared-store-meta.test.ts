/** The store operations behind the meta commands: explicit CAS, flushes, the recache protocol, inspection. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteResult, StoreMode, StoreResult } from './store.ts';
import { bytes, storeOnFakeClock, valueOf } from './test/fake-clock-store.ts';

const T = { timeout: 5000 };
const { Set, Cas } = StoreMode;
const GET = { withValue: true, noBump: false } as const;

describe('SharedStore meta operations', () => {
  test('an explicit CAS is kept in all 64 bits and compared exactly', T, () => {
    const { store } = storeOnFakeClock();
    const max = 2n ** 64n - 1n;
    assert.equal(store.store(Set, 'k', 0, 0, bytes('a'), 0n, { explicitCas: max }).cas, max);
    assert.equal(store.get('k')!.cas, max);
    assert.equal(store.store(Cas, 'k', 0, 0, bytes('b'), max - 1n).result, StoreResult.Exists);
    assert.equal(store.store(Cas, 'k', 0, 0, bytes('c'), max).result, StoreResult.Stored);
    assert.equal(valueOf(store.get('k')), 'c');
  });

  test('flush_all hides what was stored before it, whatever CAS the items chose', T, () => {
    const { store } = storeOnFakeClock();
    store.store(Set, 'before', 0, 0, bytes('x'), 0n, { explicitCas: 2n ** 63n });
    store.flushAll();
    store.store(Set, 'after', 0, 0, bytes('y'), 0n, { explicitCas: 1n });
    assert.equal(store.get('before'), undefined);
    assert.equal(valueOf(store.get('after')), 'y');
  });

  test('vivify on a miss creates an empty item and wins; the next reader sees the win taken', T, () => {
    const { store } = storeOnFakeClock();
    const first = store.metaGet('k', { ...GET, vivify: 30 });
    assert.deepEqual([first?.created, first?.won, first?.tokenSent, first?.valueLength, first?.ttl], [true, true, false, 0, 30]);
    const second = store.metaGet('k', { ...GET, vivify: 30 });
    assert.deepEqual([second?.created, second?.won, second?.tokenSent], [false, false, true]);
    assert.equal(store.metaGet('other', GET), undefined);
  });

  test('md invalidate marks stale with a new CAS; an older CAS with invalidate stores stale and keeps the TTL', T, () => {
    const { store } = storeOnFakeClock();
    const { cas } = store.store(Set, 'k', 0, 100, bytes('v1'));
    assert.equal(store.metaDelete('k', { invalidate: true, compareCas: cas + 1n }), DeleteResult.Exists);
    assert.equal(store.metaDelete('k', { invalidate: true, touch: 30 }), DeleteResult.Deleted);
    const stale = store.metaGet('k', GET)!;
    assert.deepEqual([stale.stale, stale.won, stale.ttl], [true, true, 30]);
    assert.ok(stale.item.cas > cas);
    assert.equal(store.store(Cas, 'k', 0, 0, bytes('v2'), cas, { invalidate: true }).result, StoreResult.Stored);
    const again = store.metaGet('k', GET)!;
    assert.deepEqual([valueOf(again.item), again.stale, again.tokenSent, again.ttl], ['v2', true, true, 30]);
    assert.equal(store.metaDelete('k', { invalidate: false }), DeleteResult.Deleted);
    assert.equal(store.metaDelete('k', { invalidate: false }), DeleteResult.NotFound);
  });

  test('hit-before and idle time are reported as they were before the read; noBump leaves them', T, () => {
    const { store, clock } = storeOnFakeClock();
    store.store(Set, 'k', 0, 0, bytes('v'));
    clock.advance(3000);
    const peek = store.metaGet('k', { withValue: false, noBump: true })!;
    assert.deepEqual([peek.fetchedBefore, peek.idleSeconds, peek.item.value.length, peek.valueLength], [false, 3, 0, 1]);
    store.metaGet('k', GET);
    const after = store.metaGet('k', GET)!;
    assert.deepEqual([after.fetchedBefore, after.idleSeconds], [true, 0]);
    const seen = store.inspect('k')!;
    assert.deepEqual([seen.fetched, seen.ttl, seen.valueLength, seen.sizeClass], [true, -1, 1, 1]);
  });

  test('metaArith creates with N, touches with T, and reports the TTL before and after', T, () => {
    const { store } = storeOnFakeClock();
    const created = store.metaArith('n', { incr: true, delta: 1n, compareCas: 0n, create: { initial: 5n, exptime: 60 } });
    assert.deepEqual([created.value, created.created, created.ttlBefore, created.ttl], [5n, true, -1, 60]);
    const touched = store.metaArith('n', { incr: false, delta: 2n, compareCas: 0n, touch: 10 });
    assert.deepEqual([touched.value, touched.created, touched.ttlBefore, touched.ttl], [3n, false, 60, 10]);
    const explicit = store.metaArith('n', { incr: true, delta: 1n, compareCas: touched.cas, explicitCas: 2n ** 60n });
    assert.equal(explicit.cas, 2n ** 60n);
    assert.equal(store.get('n')!.cas, 2n ** 60n);
  });
});
