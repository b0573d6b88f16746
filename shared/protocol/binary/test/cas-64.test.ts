/**
 * CAS values are 64-bit: a request CAS past 2^53 must be compared exactly, never through a double
 * (which rounds 2^53 + 1 to 2^53 and so would let a stale CAS win). The store's CAS counter is
 * moved to 2^53 by writing its header slot, so the item under test really has CAS 2^53.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedStore } from '../../../store/shared-store.ts';
import { StoreMemory } from '../../../store/store-memory.ts';
import { NEXT_CAS } from '../../../store/layout.ts';
import { Opcode, Status } from '../constants.ts';
import { writeResponseHeader } from '../binary-reply.ts';
import { serve } from './harness.ts';
import { get, keyed, set } from './requests.ts';

const T = { timeout: 5000 };
const TWO_53 = 2n ** 53n;

/** A store whose next CAS is `next`. */
function storeWithNextCas(next: bigint): SharedStore {
  const store = SharedStore.create({ memoryBytes: 1024 * 1024 });
  new StoreMemory(store.buffer).setU64(NEXT_CAS, next);
  return store;
}

describe('64-bit CAS, end to end through the binary protocol', () => {
  test('Set with CAS 2^53 + 1 against an item whose CAS is 2^53 is Data exists', T, () => {
    const store = storeWithNextCas(TWO_53);
    const { responses } = serve(store, [set('k', 'old'), set('k', 'stale', { cas: TWO_53 + 1n }), get('k')]);
    assert.equal(responses[0]!.cas, TWO_53, 'the first Set got CAS 2^53');
    assert.equal(responses[1]!.status, Status.KeyExists, 'a CAS one past the item\'s must not match');
    assert.equal(responses[2]!.value.toString(), 'old');
  });

  test('Set with the exact CAS 2^53 stores, and the next CAS is 2^53 + 1, exactly', T, () => {
    const store = storeWithNextCas(TWO_53);
    const { responses } = serve(store, [set('k', 'old'), set('k', 'new', { cas: TWO_53 }), get('k')]);
    assert.equal(responses[1]!.status, Status.Success);
    assert.equal(responses[1]!.cas, TWO_53 + 1n);
    assert.equal(responses[2]!.cas, TWO_53 + 1n);
    assert.equal(store.get('k')!.cas, TWO_53 + 1n);
  });

  test('Delete with a CAS that differs only past 2^53 is Data exists; the exact one deletes', T, () => {
    const store = storeWithNextCas(TWO_53 + 2n);
    const { responses } = serve(store, [
      set('k', 'v'), keyed(Opcode.Delete, 'k', { cas: TWO_53 + 3n }), keyed(Opcode.Delete, 'k', { cas: TWO_53 + 2n }),
    ]);
    assert.deepEqual(responses.map((r) => r.status), [Status.Success, Status.KeyExists, Status.Success]);
  });

  test('the counter runs up to 2^64 − 1 and every CAS on the way is exact', T, () => {
    const store = storeWithNextCas(2n ** 64n - 2n);
    const { responses } = serve(store, [set('a', '1'), set('b', '2'), get('a'), get('b')]);
    assert.deepEqual(responses.map((r) => r.cas), [2n ** 64n - 2n, 2n ** 64n - 1n, 2n ** 64n - 2n, 2n ** 64n - 1n]);
  });
});

describe('the CAS field of a response header', () => {
  test('every 64-bit CAS is written exactly, on either side of 2^32 and 2^53', T, () => {
    const header = Buffer.alloc(24);
    for (const cas of [1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, TWO_53 - 1n, TWO_53, TWO_53 + 1n, 2n ** 64n - 1n]) {
      writeResponseHeader(header, 0, Opcode.Set, Status.Success, 0, 0, 0, 0, cas);
      assert.equal(header.readBigUInt64BE(16), cas);
    }
  });

  test('a Set\'s response carries its CAS exactly when the store issues CAS values past 2^32', T, () => {
    const store = storeWithNextCas(2n ** 32n + 7n);
    const { responses } = serve(store, [set('k', 'v'), set('k', 'w')]);
    assert.deepEqual(responses.map((r) => r.cas), [2n ** 32n + 7n, 2n ** 32n + 8n]);
  });
});
