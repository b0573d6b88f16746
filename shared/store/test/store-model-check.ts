/**
 * The model-based check, written once over the Store contract: random sequences of every Store
 * operation, with a fake clock that jumps across expiry and flush times, run against a store and
 * against a plain Map model (map-model.ts). Every answer, every CAS, the final contents and the
 * counters must agree. SharedStore's test runs it, and so does every later store's.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StoreMode, type Item, type Store } from '../store.ts';
import { FakeClock, START_MS } from './fake-clock-store.ts';
import { MapModel, type ModelCounter } from './map-model.ts';

/** Makes a fresh store on `clock` whose item size limit is `maxItemSize` and whose memory never runs out in a run. */
export type ModelStoreFactory = (clock: FakeClock, maxItemSize: number) => Store;

const KEYS = ['a', 'b', 'c', 'counter'] as const;
/** Small enough that appends and one big value reach it; the arena is far larger, so no NO_MEMORY. */
const MAX_ITEM_SIZE = 1024;
const MAX_U64 = 2n ** 64n - 1n;

const key = fc.constantFrom(...KEYS);
const value = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('0', '9', '99', '100', ' 12', '12 x', '007', '-0', '-1', 'x', '', '18446744073709551615') },
  { weight: 3, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant('v'.repeat(1000)) },
).map((text) => Buffer.from(text, 'latin1'));
const exptime = fc.constantFrom(0, 0, 0, 1, 2, 5, -1, 2_592_000, 2_592_001, Math.floor(START_MS / 1000) + 3);
const flags = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff }));
const delta = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.constant(MAX_U64));

const operation = fc.oneof(
  fc.record({
    kind: fc.constant('store' as const),
    mode: fc.constantFrom(...Object.values(StoreMode)),
    key, flags, exptime, value,
    casChoice: fc.constantFrom('current', 'stale', 'zero'),
  }),
  fc.record({ kind: fc.constant('get' as const), key }),
  fc.record({ kind: fc.constant('gat' as const), key, exptime }),
  fc.record({ kind: fc.constant('touch' as const), key, exptime }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({
    kind: fc.constant('arith' as const),
    key, delta,
    incr: fc.boolean(),
    create: fc.option(fc.record({ initial: fc.bigInt({ min: 0n, max: MAX_U64 }), exptime }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('flush' as const), delay: fc.constantFrom(0, 0, 1, 3) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(1, 500, 999, 1000, 2500) }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** Something both implementations can be asked, with comparable answers. */
interface Subject {
  get(key: string): Item | undefined;
  getAndTouch(key: string, exptime: number): Item | undefined;
  touch(key: string, exptime: number): boolean;
  store(mode: StoreMode, key: string, flags: number, exptime: number, value: Buffer, casUnique: bigint): unknown;
  delete(key: string): boolean;
  incrDecr(key: string, incr: boolean, delta: bigint, create?: { initial: bigint; exptime: number }): unknown;
  flushAll(delaySeconds: number): void;
}

function plain(item: Item | undefined): unknown {
  return item && { key: item.key, flags: item.flags, value: item.value.toString('latin1'), cas: item.cas };
}

function apply(subject: Subject, op: Operation, casUnique: bigint): unknown {
  switch (op.kind) {
    case 'store': return subject.store(op.mode, op.key, op.flags, op.exptime, op.value, casUnique);
    case 'get': return plain(subject.get(op.key));
    case 'gat': return plain(subject.getAndTouch(op.key, op.exptime));
    case 'touch': return subject.touch(op.key, op.exptime);
    case 'delete': return subject.delete(op.key);
    case 'arith': return subject.incrDecr(op.key, op.incr, op.delta, op.create);
    case 'flush': return subject.flushAll(op.delay);
    case 'tick': return undefined;
  }
}

/** Runs the model check on stores made by `makeStore`, as a node:test suite named after `label`. */
export function describeModelCheck(label: string, makeStore: ModelStoreFactory): void {
  void describe(`${label} against a Map model`, { timeout: 60_000 }, () => {
    void test('random operation sequences give the same answers, contents and counters', () => {
      fc.assert(
        fc.property(fc.array(operation, { minLength: 1, maxLength: 60 }), (ops) => {
          const clock = new FakeClock();
          const store = makeStore(clock, MAX_ITEM_SIZE);
          const model = new MapModel(MAX_ITEM_SIZE, clock.now);
          ops.forEach((op, step) => {
            if (op.kind === 'tick') clock.advance(op.ms);
            let casUnique = 0n;
            if (op.kind === 'store' && op.casChoice !== 'zero') {
              const current = model.casOf(op.key);
              casUnique = op.casChoice === 'current' ? current : current + 1n;
            }
            const expected = apply(model, op, casUnique);
            const actual = apply(store, op, casUnique);
            assert.deepEqual(actual, expected, `step ${step}: ${JSON.stringify(op, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`);
          });
          const stats = store.stats();
          for (const name of Object.keys(model.counters) as ModelCounter[]) {
            assert.equal(stats[name], model.counters[name], `counter ${name}`);
          }
          for (const k of KEYS) assert.deepEqual(plain(store.get(k)), plain(model.get(k)), `final contents of ${k}`);
        }),
        { numRuns: 400 },
      );
    });
  });
}
