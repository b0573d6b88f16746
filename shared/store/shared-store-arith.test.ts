/**
 * incr/decr on SharedStore, as memcached 1.6.18 answered the same commands: wrap at 2^64, stop at
 * 0, non-numeric values, the space padding of a number that got shorter, the binary protocol's
 * create-on-miss, and a new CAS on every change.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_COUNTER } from './counter-value.ts';
import { ArithResult, StoreMode } from './store.ts';
import { bytes, storeOnFakeClock, valueOf } from './test/fake-clock-store.ts';

describe('SharedStore: incr and decr', { timeout: 5000 }, () => {
  test('a missing key is NOT_FOUND and stays missing', () => {
    const { store } = storeOnFakeClock();
    assert.equal(store.incrDecr('n', true, 1n).result, ArithResult.NotFound);
    assert.equal(store.incrDecr('n', false, 1n).result, ArithResult.NotFound);
    assert.equal(store.get('n'), undefined);
  });

  test('incr adds, decr subtracts, each answering the new value and a new CAS', () => {
    const { store } = storeOnFakeClock();
    const { cas } = store.store(StoreMode.Set, 'n', 0, 0, bytes('10'));
    const up = store.incrDecr('n', true, 5n);
    assert.deepEqual([up.result, up.value], [ArithResult.Ok, 15n]);
    assert.ok(up.cas > cas);
    const down = store.incrDecr('n', false, 3n);
    assert.deepEqual([down.value, valueOf(store.get('n'))], [12n, '12']);
    assert.ok(down.cas > up.cas);
    assert.equal(store.get('n')!.cas, down.cas);
  });

  test('memcached keeps the length of a number that got shorter, padding with spaces', () => {
    // memcached 1.6.18: set n 0 0 3 / 100 / decr n 1 → 99, and get n → "99 " (3 bytes).
    const { store } = storeOnFakeClock();
    store.store(StoreMode.Set, 'n', 0, 0, bytes('100'));
    assert.equal(store.incrDecr('n', false, 1n).value, 99n);
    assert.equal(valueOf(store.get('n')), '99 ');
    assert.equal(store.incrDecr('n', true, 1n).value, 100n);
    assert.equal(valueOf(store.get('n')), '100');
    store.incrDecr('n', false, 95n);
    assert.equal(valueOf(store.get('n')), '5  ');
    assert.equal(store.incrDecr('n', true, 1000n).value, 1005n);
    assert.equal(valueOf(store.get('n')), '1005', 'a longer number is a new value of exactly its digits');
  });

  test('padding also keeps whatever surrounded the digits within the old length', () => {
    // memcached 1.6.18: " 12" incr 1 → "13 "; "12 x" incr 1 → "13  ".
    const { store } = storeOnFakeClock();
    store.store(StoreMode.Set, 'a', 0, 0, bytes(' 12'));
    store.store(StoreMode.Set, 'b', 0, 0, bytes('12 x'));
    store.incrDecr('a', true, 1n);
    store.incrDecr('b', true, 1n);
    assert.equal(valueOf(store.get('a')), '13 ');
    assert.equal(valueOf(store.get('b')), '13  ');
  });

  test('incr wraps at 2^64; decr stops at 0', () => {
    const { store } = storeOnFakeClock();
    store.store(StoreMode.Set, 'big', 0, 0, bytes(MAX_COUNTER.toString()));
    assert.equal(store.incrDecr('big', true, 1n).value, 0n);
    assert.equal(valueOf(store.get('big')), `0${' '.repeat(19)}`);
    store.store(StoreMode.Set, 'small', 0, 0, bytes('3'));
    assert.equal(store.incrDecr('small', false, 10n).value, 0n);
    assert.equal(store.incrDecr('small', true, MAX_COUNTER).value, MAX_COUNTER);
  });

  test('a value that is not a number is NON_NUMERIC and is left alone', () => {
    const { store } = storeOnFakeClock();
    for (const text of ['', 'abc', '12x', '-1', '18446744073709551616']) {
      const { cas } = store.store(StoreMode.Set, 'v', 0, 0, bytes(text));
      assert.equal(store.incrDecr('v', true, 1n).result, ArithResult.NonNumeric, JSON.stringify(text));
      assert.deepEqual([valueOf(store.get('v')), store.get('v')!.cas], [text, cas]);
    }
  });

  test('keeps the flags and the exptime, also when the number outgrows its block', () => {
    const { store, clock } = storeOnFakeClock();
    store.store(StoreMode.Set, 'n', 42, 10, bytes('9'));
    for (let i = 0; i < 5; i++) store.incrDecr('n', true, 99_999_999_999_999n);
    assert.equal(store.get('n')!.flags, 42);
    clock.advance(10_000);
    assert.equal(store.get('n'), undefined);
  });

  test('with `create`, a miss stores the initial value (binary protocol), answered as is', () => {
    const { store, clock } = storeOnFakeClock();
    const created = store.incrDecr('c', true, 5n, { initial: 10n, exptime: 2 });
    assert.deepEqual([created.result, created.value], [ArithResult.Ok, 10n]);
    assert.ok(created.cas > 0);
    assert.deepEqual([valueOf(store.get('c')), store.get('c')!.flags], ['10', 0]);
    assert.equal(store.incrDecr('c', true, 5n, { initial: 10n, exptime: 2 }).value, 15n);
    clock.advance(2000);
    assert.equal(store.get('c'), undefined, 'the create exptime applies');
    assert.equal(store.incrDecr('d', false, 5n, { initial: 0n, exptime: 0 }).value, 0n);
  });
});
