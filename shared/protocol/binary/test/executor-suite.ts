/**
 * The binary executor's behaviour, opcode by opcode, written once over the {@link Store} contract
 * and run against every store implementation. Each test is a transcript: request packets in,
 * the replies memcached 1.6.18 gives out (probed against the real server).
 * @module
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../store/store.ts';
import { NO_CREATE_EXPTIME, Opcode, Status } from '../constants.ts';
import { encodeRequest, storeExtras } from '../request-encoder.ts';
import { fakeServer, serve } from './harness.ts';
import { executeBinary } from '../binary-executor.ts';
import { After } from '../../after.ts';
import { BinaryReply } from '../binary-reply.ts';
import type { BinaryRequest } from '../binary-request.ts';
import { splitResponses } from '../response-decoder.ts';
import { counter, expectReplies, flagsHex } from './expect-replies.ts';
import { add, arith, bare, concat, flush, get, keyed, replace, set, setq, store as storeReq, touching } from './requests.ts';

/** A fresh store, and a way to move its clock forward when it has one the test controls. */
export interface StoreUnderTest {
  readonly store: Store;
  readonly advance?: (seconds: number) => void;
}

const T = { timeout: 10_000 };
const NOT_FOUND = Status.KeyNotFound;

/** Defines the executor tests for stores made by `make`. */
export function executorSuite(name: string, make: () => StoreUnderTest): void {
  void describe(`binary executor over ${name}`, () => {
    void test('Set, then Get/GetK/GetQ/GetKQ hits carry flags, key (K forms), value and the CAS of the Set', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        set('k', 'value', { flags: 0xabcd, opaque: 1 }),
        get('k', { opaque: 2 }),
        keyed(Opcode.GetK, 'k', { opaque: 3 }),
        keyed(Opcode.GetQ, 'k', { opaque: 4 }),
        keyed(Opcode.GetKQ, 'k', { opaque: 5 }),
      ]);
      const flags = flagsHex(0xabcd);
      expectReplies(responses, [
        { op: Opcode.Set, opaque: 1, cas: 'nonzero' },
        { op: Opcode.Get, opaque: 2, extras: flags, value: 'value' },
        { op: Opcode.GetK, opaque: 3, extras: flags, key: 'k', value: 'value' },
        { op: Opcode.GetQ, opaque: 4, extras: flags, value: 'value' },
        { op: Opcode.GetKQ, opaque: 5, extras: flags, key: 'k', value: 'value' },
      ]);
      const casOfSet = responses[0]!.cas;
      for (const reply of responses.slice(1)) assert.equal(reply.cas, casOfSet);
    });

    void test('misses: Get says Not found, GetK returns the key, quiet forms say nothing', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        get('nope', { opaque: 1 }),
        keyed(Opcode.GetK, 'nope', { opaque: 2 }),
        keyed(Opcode.GetQ, 'nope', { opaque: 3 }),
        keyed(Opcode.GetKQ, 'nope', { opaque: 4 }),
        bare(Opcode.Noop, { opaque: 5 }),
      ]);
      expectReplies(responses, [
        { op: Opcode.Get, status: NOT_FOUND, opaque: 1 },
        { op: Opcode.GetK, status: NOT_FOUND, opaque: 2, key: 'nope', value: '' },
        { op: Opcode.Noop, opaque: 5, cas: 'zero' },
      ]);
    });

    void test('Set with a CAS acts as cas: match stores, mismatch exists, missing key not found', T, () => {
      const { store } = make();
      const first = serve(store, [set('k', 'one')]).responses[0]!;
      const { responses } = serve(store, [
        set('k', 'two', { cas: first.cas + 1000n }),
        set('k', 'two', { cas: first.cas }),
        set('k', 'three', { cas: first.cas }),
        set('missing', 'x', { cas: 5 }),
        get('k'),
      ]);
      expectReplies(responses, [
        { op: Opcode.Set, status: Status.KeyExists },
        { op: Opcode.Set, cas: 'nonzero' },
        { op: Opcode.Set, status: Status.KeyExists },
        { op: Opcode.Set, status: NOT_FOUND },
        { op: Opcode.Get, extras: flagsHex(0), value: 'two' },
      ]);
      assert.notEqual(responses[1]!.cas, first.cas, 'a store issues a new CAS');
      assert.equal(responses[4]!.cas, responses[1]!.cas);
    });

    void test('Add and Replace: Data exists / Not found; a CAS on Add also checks it', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        add('k', 'a'),
        add('k', 'b'),
        replace('nope', 'c'),
        replace('k', 'd', { flags: 9 }),
        add('k', 'e', { cas: 1n << 60n }),
        get('k'),
      ]);
      expectReplies(responses, [
        { op: Opcode.Add, cas: 'nonzero' },
        { op: Opcode.Add, status: Status.KeyExists },
        { op: Opcode.Replace, status: NOT_FOUND },
        { op: Opcode.Replace, cas: 'nonzero' },
        { op: Opcode.Add, status: Status.KeyExists },
        { op: Opcode.Get, extras: flagsHex(9), value: 'd' },
      ]);
    });

    void test('Append and Prepend: Not stored when missing; keep the flags; quiet forms', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        concat(Opcode.Append, 'k', 'x'),
        concat(Opcode.PrependQ, 'k', 'x'),
        set('k', 'mid', { flags: 3 }),
        concat(Opcode.Append, 'k', '>>'),
        concat(Opcode.Prepend, 'k', '<<'),
        concat(Opcode.AppendQ, 'k', '!'),
        get('k'),
      ]);
      expectReplies(responses, [
        { op: Opcode.Append, status: Status.NotStored },
        { op: Opcode.PrependQ, status: Status.NotStored },
        { op: Opcode.Set, cas: 'nonzero' },
        { op: Opcode.Append, cas: 'nonzero' },
        { op: Opcode.Prepend, cas: 'nonzero' },
        { op: Opcode.Get, extras: flagsHex(3), value: '<<mid>>!' },
      ]);
    });

    void test('a CAS on Delete, Increment and Append: the current one acts, a stale one is Data exists', T, () => {
      const { store } = make();
      const first = serve(store, [set('k', '5')]).responses[0]!;
      const stale = { cas: first.cas + 1000n };
      const { responses } = serve(store, [
        keyed(Opcode.Delete, 'k', stale),
        arith(Opcode.Increment, 'k', 1n, 0n, NO_CREATE_EXPTIME, stale),
        concat(Opcode.Append, 'k', '0', stale),
        arith(Opcode.Increment, 'k', 1n, 0n, NO_CREATE_EXPTIME, { cas: first.cas }),
      ]);
      expectReplies(responses, [
        { op: Opcode.Delete, status: Status.KeyExists },
        { op: Opcode.Increment, status: Status.KeyExists },
        { op: Opcode.Append, status: Status.KeyExists },
        { op: Opcode.Increment, cas: 'nonzero', value: counter(6n) },
      ]);
      const afterIncr = responses[3]!.cas;
      const { responses: more } = serve(store, [
        concat(Opcode.Append, 'k', '0', { cas: afterIncr }),
        get('k'),
      ]);
      const appended = more[0]!.cas;
      const { responses: last } = serve(store, [keyed(Opcode.Delete, 'k', { cas: appended }), get('k')]);
      expectReplies([...more, ...last], [
        { op: Opcode.Append, cas: 'nonzero' },
        { op: Opcode.Get, extras: flagsHex(0), value: '60' },
        { op: Opcode.Delete, cas: 'zero' },
        { op: Opcode.Get, status: NOT_FOUND },
      ]);
    });

    void test('quiet storage: silent on success, errors always sent, opaque echoed', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        setq('k', 'v', { opaque: 1 }),
        storeReq(Opcode.AddQ, 'k', 'v', { opaque: 2 }),
        storeReq(Opcode.ReplaceQ, 'nope', 'v', { opaque: 3 }),
        storeReq(Opcode.AddQ, 'new', 'v', { opaque: 4 }),
        bare(Opcode.Noop, { opaque: 5 }),
      ]);
      expectReplies(responses, [
        { op: Opcode.AddQ, status: Status.KeyExists, opaque: 2 },
        { op: Opcode.ReplaceQ, status: NOT_FOUND, opaque: 3 },
        { op: Opcode.Noop, opaque: 5 },
      ]);
    });

    void test('Delete and DeleteQ: success has CAS 0; a miss is always answered', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        set('a', '1'), set('b', '2'),
        keyed(Opcode.Delete, 'a'),
        keyed(Opcode.Delete, 'a'),
        keyed(Opcode.DeleteQ, 'b'),
        keyed(Opcode.DeleteQ, 'b', { opaque: 9 }),
        get('b'),
      ]);
      expectReplies(responses, [
        { op: Opcode.Set }, { op: Opcode.Set },
        { op: Opcode.Delete, cas: 'zero' },
        { op: Opcode.Delete, status: NOT_FOUND },
        { op: Opcode.DeleteQ, status: NOT_FOUND, opaque: 9 },
        { op: Opcode.Get, status: NOT_FOUND },
      ]);
    });

    void test('Increment/Decrement: create with initial unless exptime is 0xffffffff; wrap at 2^64; floor at 0', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        arith(Opcode.Increment, 'n', 1n, 10n, NO_CREATE_EXPTIME),
        arith(Opcode.Increment, 'n', 1n, 10n, 0),
        arith(Opcode.Increment, 'n', 5n, 10n, 0),
        arith(Opcode.Decrement, 'n', 100n, 10n, 0),
        arith(Opcode.Decrement, 'fresh', 1n, 7n, 0),
        arith(Opcode.Increment, 'max', 1n, 2n ** 64n - 1n, 0),
        arith(Opcode.Increment, 'max', 2n, 0n, 0),
      ]);
      expectReplies(responses, [
        { op: Opcode.Increment, status: NOT_FOUND },
        { op: Opcode.Increment, cas: 'nonzero', value: counter(10n) },
        { op: Opcode.Increment, cas: 'nonzero', value: counter(15n) },
        { op: Opcode.Decrement, cas: 'nonzero', value: counter(0n) },
        { op: Opcode.Decrement, cas: 'nonzero', value: counter(7n) },
        { op: Opcode.Increment, cas: 'nonzero', value: counter(2n ** 64n - 1n) },
        { op: Opcode.Increment, cas: 'nonzero', value: counter(1n) },
      ]);
    });

    void test('Increment on a non-number: Non-numeric; quiet forms silent on success only', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        set('text', 'abc'),
        arith(Opcode.Increment, 'text', 1n),
        arith(Opcode.IncrementQ, 'text', 1n, 0n, 0, { opaque: 2 }),
        arith(Opcode.IncrementQ, 'counter', 1n, 5n, 0),
        arith(Opcode.DecrementQ, 'counter', 2n, 0n, 0),
        arith(Opcode.DecrementQ, 'missing', 2n, 0n, NO_CREATE_EXPTIME, { opaque: 3 }),
        get('counter'),
      ]);
      expectReplies(responses, [
        { op: Opcode.Set },
        { op: Opcode.Increment, status: Status.NonNumeric },
        { op: Opcode.IncrementQ, status: Status.NonNumeric, opaque: 2 },
        { op: Opcode.DecrementQ, status: NOT_FOUND, opaque: 3 },
        { op: Opcode.Get, extras: flagsHex(0), value: '3' },
      ]);
    });

    void test('Touch returns flags and CAS but no value; GAT adds the value, GATK the key too', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        set('k', 'val', { flags: 0xabcd }),
        touching(Opcode.Touch, 'k', 100),
        touching(Opcode.GAT, 'k', 100),
        touching(Opcode.GATK, 'k', 100),
        touching(Opcode.GATQ, 'k', 100),
        touching(Opcode.GATKQ, 'k', 100),
      ]);
      const flags = flagsHex(0xabcd);
      expectReplies(responses, [
        { op: Opcode.Set },
        { op: Opcode.Touch, extras: flags, cas: 'nonzero' },
        { op: Opcode.GAT, extras: flags, value: 'val' },
        { op: Opcode.GATK, extras: flags, key: 'k', value: 'val' },
        { op: Opcode.GATQ, extras: flags, value: 'val' },
        { op: Opcode.GATKQ, extras: flags, key: 'k', value: 'val' },
      ]);
    });

    void test('Touch/GAT misses: Not found, GATK returns the key, quiet forms say nothing', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        touching(Opcode.Touch, 'nope', 1),
        touching(Opcode.GAT, 'nope', 1),
        touching(Opcode.GATK, 'nope', 1),
        touching(Opcode.GATQ, 'nope', 1),
        touching(Opcode.GATKQ, 'nope', 1),
        bare(Opcode.Noop),
      ]);
      expectReplies(responses, [
        { op: Opcode.Touch, status: NOT_FOUND },
        { op: Opcode.GAT, status: NOT_FOUND },
        { op: Opcode.GATK, status: NOT_FOUND, key: 'nope', value: '' },
        { op: Opcode.Noop },
      ]);
    });

    void test('Flush and FlushQ remove every item; FlushQ is silent', T, () => {
      const { store } = make();
      const { responses } = serve(store, [
        set('a', '1'), flush(Opcode.Flush), get('a'),
        set('b', '2'), flush(Opcode.FlushQ, 0), get('b'),
      ]);
      expectReplies(responses, [
        { op: Opcode.Set }, { op: Opcode.Flush, cas: 'zero' }, { op: Opcode.Get, status: NOT_FOUND },
        { op: Opcode.Set }, { op: Opcode.Get, status: NOT_FOUND },
      ]);
    });

    void test('Noop and Version', T, () => {
      const { store } = make();
      const { responses } = serve(store, [bare(Opcode.Noop, { opaque: 1 }), bare(Opcode.Version, { opaque: 2 })]);
      expectReplies(responses, [
        { op: Opcode.Noop, opaque: 1, cas: 'zero' },
        { op: Opcode.Version, opaque: 2, cas: 'zero', value: '1.6.18-test' },
      ]);
    });

    void test('Stat: one reply per statistic then an empty one; groups; unknown group Not found', T, () => {
      const { store } = make();
      const all = serve(store, [bare(Opcode.Stat, { opaque: 7 })]).responses;
      const names = all.map((r) => r.key.toString('latin1'));
      assert.deepEqual(names.slice(0, 2), ['pid', 'uptime'], 'server statistics come first');
      assert.ok(names.includes('curr_items') && names.includes('get_hits'), 'then the store counters');
      assert.equal(all.at(-1)!.key.length + all.at(-1)!.value.length, 0, 'an empty reply ends the list');
      assert.ok(all.every((r) => r.opaque === 7 && r.status === Status.Success && r.opcode === Opcode.Stat));
      assert.equal(all[0]!.value.toString(), '42');
      const { responses } = serve(store, [keyed(Opcode.Stat, 'settings'), keyed(Opcode.Stat, 'nonsense')]);
      expectReplies(responses, [
        { op: Opcode.Stat, key: 'maxbytes', value: '67108864' },
        { op: Opcode.Stat, key: 'item_size_max', value: '1048576' },
        { op: Opcode.Stat },
        { op: Opcode.Stat, status: NOT_FOUND },
      ]);
    });

    void test('Quit answers then closes; QuitQ closes silently; nothing after them runs', T, () => {
      const { store } = make();
      const loud = serve(store, [Buffer.concat([bare(Opcode.Quit, { opaque: 3 }), set('after', 'x')])]);
      expectReplies(loud.responses, [{ op: Opcode.Quit, opaque: 3 }]);
      assert.equal(loud.closed, true);
      const quiet = serve(store, [Buffer.concat([bare(Opcode.QuitQ), set('after', 'x')])]);
      expectReplies(quiet.responses, []);
      assert.equal(quiet.closed, true);
      expectReplies(serve(store, [get('after')]).responses, [{ op: Opcode.Get, status: NOT_FOUND }]);
    });

    void test('framing errors: status, then close where memcached closes', T, () => {
      const { store } = make();
      const cases: [Buffer, Status | undefined, boolean][] = [
        [encodeRequest({ opcode: Opcode.Noop, magic: 0x81 }), undefined, true],
        [encodeRequest({ opcode: Opcode.Get, keyLength: 5, bodyLength: 3, value: 'abc' }), Status.UnknownCommand, true],
        [encodeRequest({ opcode: Opcode.Get, key: 'k'.repeat(251) }), Status.InvalidArguments, true],
        [encodeRequest({ opcode: Opcode.Set, key: 'k', value: 'v' }), Status.InvalidArguments, true],
        [encodeRequest({ opcode: 0x50, value: 'body' }), Status.UnknownCommand, false],
      ];
      for (const [packet, status, closes] of cases) {
        const served = serve(store, [Buffer.concat([packet, bare(Opcode.Noop)])]);
        const expected = status === undefined ? [] : [{ op: packet[1]!, status }];
        expectReplies(served.responses, closes ? expected : [...expected, { op: Opcode.Noop }]);
        assert.equal(served.closed, closes);
      }
    });

    void test('a too-large Set answers Too large and removes the old value; a too-large Add keeps it', T, () => {
      const { store } = make();
      const big = Buffer.alloc(store.maxItemSize);
      const { responses } = serve(store, [
        set('s', 'old'), add('a', 'old'),
        setq('s', big, { opaque: 1 }),
        add('a', big, { opaque: 2 }),
        get('s'), get('a'),
      ]);
      expectReplies(responses, [
        { op: Opcode.Set }, { op: Opcode.Add },
        { op: Opcode.SetQ, status: Status.TooLarge, opaque: 1 },
        { op: Opcode.Add, status: Status.TooLarge, opaque: 2 },
        { op: Opcode.Get, status: NOT_FOUND },
        { op: Opcode.Get, extras: flagsHex(0), value: 'old' },
      ]);
    });

    void test('an append that would outgrow the item size limit is Not stored (memcached\'s words)', T, () => {
      const { store } = make();
      const half = 'x'.repeat(Math.floor(store.maxItemSize / 2) + 10);
      const { responses } = serve(store, [set('k', half), concat(Opcode.Append, 'k', half), get('k')]);
      expectReplies(responses, [
        { op: Opcode.Set },
        { op: Opcode.Append, status: Status.NotStored },
        { op: Opcode.Get, extras: flagsHex(0), value: half },
      ]);
    });

    void test('a request no parser would produce (an unknown opcode) is answered, not thrown', T, () => {
      const { store } = make();
      const reply = new BinaryReply();
      const request: BinaryRequest = {
        kind: 'request', opcode: 0x50, opaque: 6, cas: 0n, key: '', value: Buffer.alloc(0), flags: 0, exptime: 0, delta: 0n, initial: 0n,
      };
      assert.equal(executeBinary(request, store, fakeServer(), reply), After.Continue);
      expectReplies(splitResponses(Buffer.concat(reply.take())).responses, [{ op: 0x50, status: Status.UnknownCommand, opaque: 6 }]);
    });

    void test('the value of a Get is the stored bytes, passed through as its own piece', T, () => {
      const { store } = make();
      const value = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));
      const { responses } = serve(store, [encodeRequest({ opcode: Opcode.Set, key: 'bin', extras: storeExtras(1, 0), value }), get('bin')]);
      assert.deepEqual(responses[1]!.value, value);
    });
  });

  void describe(`binary executor over ${name}: expiry`, () => {
    void test('Touch moves the expiry; a delayed Flush waits for its moment', T, (t) => {
      const { store, advance } = make();
      if (advance === undefined) {
        t.skip('this store has no clock the test can move');
        return;
      }
      serve(store, [set('short', 'v', { exptime: 10 }), set('touched', 'v', { exptime: 10 }), touching(Opcode.Touch, 'touched', 100)]);
      advance(50);
      expectReplies(serve(store, [get('short'), get('touched')]).responses, [
        { op: Opcode.Get, status: NOT_FOUND },
        { op: Opcode.Get, extras: flagsHex(0), value: 'v' },
      ]);
      serve(store, [flush(Opcode.Flush, 30)]);
      expectReplies(serve(store, [get('touched')]).responses, [{ op: Opcode.Get, extras: flagsHex(0), value: 'v' }]);
      advance(31);
      expectReplies(serve(store, [get('touched')]).responses, [{ op: Opcode.Get, status: NOT_FOUND }]);
    });
  });
}
