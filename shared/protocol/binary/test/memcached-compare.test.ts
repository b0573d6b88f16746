/**
 * The same request bytes sent to real memcached 1.6.18 and to our parser + executor (over the
 * SharedArrayBuffer store the servers use, and over the in-memory test store) must get the same replies: opcode, status, opaque, extras, key and value, CAS
 * compared only as zero versus non-zero, and the same decision to close. Only deterministic
 * exchanges are compared (no Version text, no statistics). Skipped, with the reason printed,
 * where memcached is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { memcachedInstalled, startMemcached, type RunningServer } from '../../../testing/server-process.ts';
import { NO_CREATE_EXPTIME, Opcode } from '../constants.ts';
import { encodeRequest, storeExtras } from '../request-encoder.ts';
import { splitResponses, type BinaryResponse } from '../response-decoder.ts';
import { readable, serve } from './harness.ts';
import { MemoryStore } from './memory-store.ts';
import { SharedStore } from '../../../store/shared-store.ts';
import type { Store } from '../../../store/store.ts';
import { add, arith, bare, concat, flush, get, keyed, replace, set, setq, store, touching } from './requests.ts';

/** The opaque of the Noop that ends every exchange that does not close: its reply means "all in". */
const SENTINEL = 0x5e571e1;
/** memcached's default item size limit, which both servers use here. */
const ITEM_LIMIT = 1024 * 1024;
const EXCHANGE_TIMEOUT_MS = 5000;

/** One exchange: request packets built over a key namespace, and whether the server hangs up. */
interface Scenario {
  readonly name: string;
  readonly closes?: boolean;
  readonly requests: (k: (name: string) => string) => Buffer[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'Get family: hits and misses, loud and quiet',
    requests: (k) => [
      set(k('a'), 'value', { flags: 0xabcd, opaque: 1 }), get(k('a'), { opaque: 2 }),
      keyed(Opcode.GetK, k('a')), keyed(Opcode.GetQ, k('a')), keyed(Opcode.GetKQ, k('a')),
      get(k('x'), { opaque: 3 }), keyed(Opcode.GetK, k('x')), keyed(Opcode.GetQ, k('x')), keyed(Opcode.GetKQ, k('x')),
    ],
  },
  {
    name: 'Set with a stale CAS or on a missing key',
    requests: (k) => [set(k('a'), '1'), set(k('a'), '2', { cas: 2n ** 50n }), set(k('x'), '3', { cas: 99 }), get(k('a'))],
  },
  {
    name: 'a CAS past 2^53 is compared in all 64 bits: Set and Delete with 2^53 + 1 or 2^64 − 1 are refused',
    requests: (k) => [
      set(k('a'), '1'), set(k('a'), '2', { cas: 2n ** 53n + 1n }), set(k('a'), '3', { cas: 2n ** 64n - 1n }),
      keyed(Opcode.Delete, k('a'), { cas: 2n ** 53n + 1n }), set(k('x'), '4', { cas: 2n ** 64n - 1n }), get(k('a')),
    ],
  },
  {
    name: 'Add and Replace, loud and quiet',
    requests: (k) => [
      add(k('a'), '1'), add(k('a'), '2'), replace(k('x'), '3'), replace(k('a'), '4', { flags: 7 }),
      store(Opcode.AddQ, k('a'), '5'), store(Opcode.ReplaceQ, k('y'), '6'), store(Opcode.AddQ, k('b'), '7'),
      setq(k('c'), '8'), get(k('a')), get(k('b')), get(k('c')),
    ],
  },
  {
    name: 'Append and Prepend',
    requests: (k) => [
      concat(Opcode.Append, k('a'), 'x'), concat(Opcode.PrependQ, k('a'), 'x'), set(k('a'), 'mid', { flags: 3 }),
      concat(Opcode.Append, k('a'), '>>'), concat(Opcode.Prepend, k('a'), '<<'), concat(Opcode.AppendQ, k('a'), '!'), get(k('a')),
    ],
  },
  {
    name: 'Delete and DeleteQ',
    requests: (k) => [
      set(k('a'), '1'), set(k('b'), '2'), keyed(Opcode.Delete, k('a')), keyed(Opcode.Delete, k('a')),
      keyed(Opcode.DeleteQ, k('b')), keyed(Opcode.DeleteQ, k('b'), { opaque: 9 }), get(k('b')),
    ],
  },
  {
    name: 'a stale CAS on Delete, Increment, Decrement, Append and Prepend is refused',
    requests: (k) => {
      const stale = { cas: 1n << 60n };
      return [
        set(k('a'), '1'), keyed(Opcode.Delete, k('a'), stale), arith(Opcode.Increment, k('a'), 1n, 0n, NO_CREATE_EXPTIME, stale),
        arith(Opcode.Decrement, k('a'), 1n, 0n, NO_CREATE_EXPTIME, stale), concat(Opcode.Append, k('a'), 'x', stale),
        concat(Opcode.Prepend, k('a'), 'x', stale), get(k('a')),
      ];
    },
  },
  {
    name: 'Increment and Decrement: creation, wrap-around, floor, non-numeric, quiet',
    requests: (k) => [
      arith(Opcode.Increment, k('n'), 1n, 10n, NO_CREATE_EXPTIME), arith(Opcode.Increment, k('n'), 1n, 10n, 0),
      arith(Opcode.Increment, k('n'), 5n, 10n, 0), arith(Opcode.Decrement, k('n'), 100n, 10n, 0),
      arith(Opcode.Decrement, k('fresh'), 1n, 7n, 0),
      arith(Opcode.Increment, k('max'), 1n, 2n ** 64n - 1n, 0), arith(Opcode.Increment, k('max'), 2n, 0n, 0),
      set(k('text'), 'abc'), arith(Opcode.Increment, k('text'), 1n), arith(Opcode.DecrementQ, k('text'), 1n, 0n, 0),
      arith(Opcode.IncrementQ, k('q'), 1n, 5n, 0), arith(Opcode.IncrementQ, k('q'), 2n, 0n, 0), get(k('q')),
      arith(Opcode.DecrementQ, k('missing'), 1n, 0n, NO_CREATE_EXPTIME),
    ],
  },
  {
    name: 'Touch, GAT and GATK, hits and misses, loud and quiet',
    requests: (k) => [
      set(k('a'), 'val', { flags: 0xabcd }),
      touching(Opcode.Touch, k('a'), 100), touching(Opcode.GAT, k('a'), 100), touching(Opcode.GATK, k('a'), 100),
      touching(Opcode.GATQ, k('a'), 100), touching(Opcode.GATKQ, k('a'), 100),
      touching(Opcode.Touch, k('x'), 1), touching(Opcode.GAT, k('x'), 1), touching(Opcode.GATK, k('x'), 1),
      touching(Opcode.GATQ, k('x'), 1), touching(Opcode.GATKQ, k('x'), 1),
    ],
  },
  {
    name: 'Flush, FlushQ and Noop',
    requests: (k) => [set(k('a'), '1'), flush(Opcode.Flush), get(k('a')), set(k('b'), '2'), flush(Opcode.FlushQ, 0), get(k('b')), bare(Opcode.Noop)],
  },
  {
    name: 'Stat of an unknown group',
    requests: () => [keyed(Opcode.Stat, 'nonsense')],
  },
  {
    name: 'too-large Set removes the old value; too-large Add keeps it',
    requests: (k) => [
      set(k('s'), 'old'), add(k('a'), 'old'), setq(k('s'), Buffer.alloc(ITEM_LIMIT + 1), { opaque: 1 }),
      add(k('a'), Buffer.alloc(2 * ITEM_LIMIT), { opaque: 2 }), get(k('s')), get(k('a')),
    ],
  },
  {
    name: 'the largest value that fits, and one byte more',
    requests: (k) => [set(k('ab'), Buffer.alloc(ITEM_LIMIT - 61)), set(k('ab'), Buffer.alloc(ITEM_LIMIT - 60))],
  },
  {
    name: 'an Append that would outgrow the item size limit',
    requests: (k) => [set(k('a'), 'x'.repeat(600_000)), concat(Opcode.Append, k('a'), 'y'.repeat(600_000)), keyed(Opcode.GetK, k('b'))],
  },
  {
    name: 'unknown opcode with a value: Unknown command, the stream stays in step',
    requests: () => [encodeRequest({ opcode: 0x50, value: 'xyz', opaque: 4 }), encodeRequest({ opcode: 0xff })],
  },
  { name: 'Quit', closes: true, requests: () => [bare(Opcode.Noop), bare(Opcode.Quit, { opaque: 8 })] },
  { name: 'QuitQ', closes: true, requests: () => [bare(Opcode.Noop), bare(Opcode.QuitQ)] },
  // A bad magic byte only means something once the connection speaks binary: memcached picks the
  // protocol from the first byte, so each of these starts with a Noop.
  { name: 'bad magic', closes: true, requests: () => [bare(Opcode.Noop), encodeRequest({ opcode: Opcode.Noop, magic: 0x81 })] },
  {
    name: 'keylen > bodylen',
    closes: true,
    // memcached reads extras + key before it looks at bodylen, so those bytes are sent.
    requests: () => [encodeRequest({ opcode: Opcode.Get, key: 'abcde', bodyLength: 3, opaque: 5 })],
  },
  { name: 'key of 251 bytes', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Get, key: 'k'.repeat(251) })] },
  { name: 'Get with extras', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Get, key: 'k', extras: Buffer.alloc(4) })] },
  { name: 'Get without a key', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Get })] },
  { name: 'Get with a value', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Get, key: 'k', value: 'v' })] },
  { name: 'Set without extras', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Set, key: 'k', value: 'v' })] },
  { name: 'Increment with Set extras', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Increment, key: 'k', extras: storeExtras(0, 0) })] },
  { name: 'Noop with a key', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Noop, key: 'k' })] },
  { name: 'Flush with 8 bytes of extras', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Flush, extras: Buffer.alloc(8) })] },
  { name: 'absurd bodylen on Get', closes: true, requests: () => [encodeRequest({ opcode: Opcode.Get, key: 'k', bodyLength: 100_000_000 })] },
];

/** The replies and the close decision, in comparable form. */
interface Outcome {
  readonly replies: Record<string, string | number | boolean>[];
  readonly closed: boolean;
}

/** Item memory for the shared store: room for a few items at the size limit. */
const STORE_BYTES = 16 * 1024 * 1024;

function ours(store: Store, bytes: Buffer): Outcome {
  const served = serve(store, [bytes]);
  const replies = served.responses.filter((r) => r.opaque !== SENTINEL || r.opcode !== Opcode.Noop);
  return { replies: replies.map(readable), closed: served.closed };
}

/** Sends `bytes` to memcached and collects replies until the sentinel's reply or a close. */
function theirs(server: RunningServer, bytes: Buffer): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, server.host);
    let received: Buffer = Buffer.alloc(0);
    const replies: BinaryResponse[] = [];
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ replies: replies.map(readable), closed });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no sentinel and no close within ${EXCHANGE_TIMEOUT_MS} ms; got ${replies.length} replies`));
    }, EXCHANGE_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      const { responses, rest } = splitResponses(Buffer.concat([received, chunk]));
      received = rest;
      for (const response of responses) {
        if (response.opcode === Opcode.Noop && response.opaque === SENTINEL) return finish(false);
        replies.push(response);
      }
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

describe('binary replies match real memcached 1.6.18', { timeout: 60_000 }, () => {
  let server: RunningServer | undefined;
  before(async () => {
    if (memcachedInstalled()) server = await startMemcached();
  });
  after(async () => {
    await server?.stop();
  });

  SCENARIOS.forEach((scenario, index) => {
    test(scenario.name, { timeout: 10_000 }, async (t) => {
      if (server === undefined) {
        t.skip('memcached is not installed (apt-get install memcached)');
        return;
      }
      const k = (name: string) => `cmp${index}-${name}`;
      const packets = scenario.requests(k);
      if (!scenario.closes) packets.push(bare(Opcode.Noop, { opaque: SENTINEL }));
      const bytes = Buffer.concat(packets);
      const expected = await theirs(server, bytes);
      const shared = SharedStore.create({ memoryBytes: STORE_BYTES, maxItemSize: ITEM_LIMIT });
      assert.deepEqual(ours(shared, bytes), expected, 'our replies over SharedStore (actual) against memcached (expected)');
      const memory = new MemoryStore({ maxItemSize: ITEM_LIMIT });
      assert.deepEqual(ours(memory, bytes), expected, 'our replies over the test store (actual) against memcached (expected)');
      assert.equal(expected.closed, scenario.closes === true, 'memcached closed as the scenario says');
    });
  });
});
