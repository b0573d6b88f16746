/**
 * The get fast path (Store.getInto, binary-hit.ts, text-hit.ts): a session answers get hits from
 * the store's memory, with no Item made — and every reply is byte for byte the one the Item path
 * sends, CAS values above 2^53 included. Each case runs the same requests through a session on
 * a store, and through a session on the same kind of store with `getInto` hidden (the Item path).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SlabStore } from '../../phases/phase4/slab/slab-store.ts';
import { SharedStore } from '../store/shared-store.ts';
import { StoreMode, StoreResult, type HitSink, type Item, type Store } from '../store/store.ts';
import { createSession, Step } from './session.ts';
import { fakeServer } from './binary/test/harness.ts';
import { Opcode } from './binary/constants.ts';
import { encodeRequest } from './binary/request-encoder.ts';
import { GATHER_FROM_BYTES } from '../runtime/write-replies.ts';

const MIB = 1024 * 1024;

/** CAS values a client may give an item (meta's E): small, just past 2^53, and the largest. */
const CASES: readonly [string, bigint][] = [
  ['small', 7n],
  ['2^53 + 1', 2n ** 53n + 1n],
  ['2^32 exactly', 2n ** 32n],
  ['2^64 - 1', 2n ** 64n - 1n],
];

type StoreKind = 'slab' | 'shared';

/** A store holding `key` with `value` under the CAS `cas`, and flags 0xdeadbeef. */
function storeWith(kind: StoreKind, key: string, value: Buffer, cas: bigint): Store {
  const store = kind === 'slab' ? SlabStore.create({ memoryBytes: 8 * MIB }) : SharedStore.create({ memoryBytes: 8 * MIB });
  const outcome = store.store(StoreMode.Set, key, 0xdeadbeef, 0, value, 0n, { explicitCas: cas });
  assert.equal(outcome.result, StoreResult.Stored);
  assert.equal(outcome.cas, cas);
  return store;
}

/** `store` without its fast path: a session then answers every get from an Item. */
function itemPathOnly(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'getInto') return undefined;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `store` whose Item-returning get fails the test: only the fast path may answer. */
function fastPathOnly(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'get') return () => assert.fail('a get was answered through an Item');
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Every reply byte a session sends for `input`, lending values as a connection's turn does. */
function replies(store: Store, input: Buffer): Buffer {
  const session = createSession(input[0]!, { store, server: fakeServer(), maxItemSize: store.maxItemSize });
  store.valuePins?.begin(GATHER_FROM_BYTES);
  session.feed(input);
  let steps = 0;
  while (session.step() === Step.Continue) assert.ok(++steps < 100, 'the session never ran out of requests');
  const bytes = Buffer.concat(session.out.take());
  const pins = store.valuePins?.take() ?? null;
  if (pins !== null) store.valuePins!.release(pins);
  return bytes;
}

/** The same requests on the fast path and on the Item path: the bytes must be the same. */
function assertSameReplies(kind: StoreKind, value: Buffer, cas: bigint, input: Buffer): Buffer {
  const fast = replies(storeWith(kind, 'key', value, cas), input);
  const slow = replies(itemPathOnly(storeWith(kind, 'key', value, cas)), input);
  assert.deepEqual(fast, slow, `fast path:\n${fast.toString('latin1')}\nItem path:\n${slow.toString('latin1')}`);
  return fast;
}

const binaryGets = Buffer.concat([
  encodeRequest({ opcode: Opcode.Get, key: 'key', opaque: 1 }),
  encodeRequest({ opcode: Opcode.GetK, key: 'key', opaque: 2 }),
  encodeRequest({ opcode: Opcode.GetQ, key: 'key', opaque: 3 }),
  encodeRequest({ opcode: Opcode.GetKQ, key: 'key', opaque: 4 }),
  encodeRequest({ opcode: Opcode.Get, key: 'missing', opaque: 5 }),
  encodeRequest({ opcode: Opcode.GetK, key: 'missing', opaque: 6 }),
  encodeRequest({ opcode: Opcode.GetQ, key: 'missing', opaque: 7 }),
  encodeRequest({ opcode: Opcode.Noop, opaque: 8 }),
]);
const textGets = Buffer.from('get key\r\ngets key\r\nget key missing\r\ngets missing key\r\nget missing\r\ngets key key\r\n', 'latin1');

for (const kind of ['slab', 'shared'] as const) {
  describe(`the get fast path, ${kind} store: the same bytes as the Item path`, () => {
    for (const [name, cas] of CASES) {
      test(`binary Get, GetK, GetQ, GetKQ, hits and misses, CAS ${name}`, () => {
        const bytes = assertSameReplies(kind, Buffer.from('a small value'), cas, binaryGets);
        // The CAS is all 64 bits, big-endian, in the first response's header.
        assert.equal(bytes.readBigUInt64BE(16), cas);
      });

      test(`text get and gets, one key and several, hits and misses, CAS ${name}`, () => {
        const bytes = assertSameReplies(kind, Buffer.from('a small value'), cas, textGets);
        assert.ok(bytes.toString('latin1').includes(`VALUE key ${0xdeadbeef} 13 ${cas}\r\na small value\r\n`));
      });
    }

    test('an empty value, and one of 100 KiB (lent as a view where the store lends)', () => {
      for (const value of [Buffer.alloc(0), Buffer.alloc(100 * 1024, 'v')]) {
        assertSameReplies(kind, value, 2n ** 53n + 3n, binaryGets);
        assertSameReplies(kind, value, 2n ** 53n + 3n, textGets);
      }
    });
  });
}

describe('the get fast path is the one taken', () => {
  test('a session answers binary and text get hits of small values without an Item', () => {
    const store = fastPathOnly(storeWith('slab', 'key', Buffer.from('value'), 5n));
    assert.ok(replies(store, binaryGets).length > 0);
    assert.match(replies(store, textGets).toString('latin1'), /^VALUE key 3735928559 5\r\nvalue\r\nEND\r\n/);
  });

  test('the slab store hands a small value in place and a lent one as its pinned Item', () => {
    const store = SlabStore.create({ memoryBytes: 8 * MIB });
    store.store(StoreMode.Set, 'small', 1, 0, Buffer.from('tiny'));
    store.store(StoreMode.Set, 'large', 2, 0, Buffer.alloc(4096, 'L'));
    const seen: string[] = [];
    const sink: HitSink = {
      hitBytes: (flags, _high, _low, source, start, length) => {
        assert.equal(source.buffer, store.buffer, 'the bytes are the store\'s own');
        seen.push(`bytes ${flags} ${source.toString('latin1', start, start + length)}`);
      },
      hitItem: (item: Item) => seen.push(`item ${item.flags} ${item.value.length} ${item.value.buffer === store.buffer ? 'lent' : 'copied'}`),
    };
    store.valuePins.begin(GATHER_FROM_BYTES);
    assert.equal(store.getInto('small', sink), true);
    assert.equal(store.getInto('large', sink), true);
    assert.equal(store.getInto('missing', sink), false);
    const pins = store.valuePins.take();
    assert.notEqual(pins, null);
    store.valuePins.release(pins!);
    assert.deepEqual(seen, ['bytes 1 tiny', 'item 2 4096 lent']);
    const stats = store.stats();
    assert.deepEqual([stats.cmd_get, stats.get_hits, stats.get_misses], [3, 2, 1]);
  });
});
