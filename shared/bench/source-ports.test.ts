/**
 * The source pairs of connections mode: every client process's slice is its own, no pair is
 * handed out twice or on a server's port, and a pair that another socket holds is stepped over —
 * first with a stand-in connect, then with a real socket holding the first port.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { test } from 'node:test';
import { codecFor } from '../client/codecs.ts';
import { IdleConnection } from './idle-connection.ts';
import { connectFromPairs, MAX_PAIR_RETRIES, portSlice, SOURCE_PORT_RANGE, SourcePairs, type SourcePair } from './source-ports.ts';

const ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];

function every(pairs: SourcePairs): SourcePair[] {
  const all: SourcePair[] = [];
  for (let pair = pairs.take(); pair !== undefined; pair = pairs.take()) all.push(pair);
  return all;
}

test('the slices of 11 client processes cover the range once, in order, without overlap', () => {
  const slices = Array.from({ length: 11 }, (_, i) => portSlice(SOURCE_PORT_RANGE, i, 11));
  assert.equal(slices[0]!.low, SOURCE_PORT_RANGE.low);
  assert.equal(slices.at(-1)!.high, SOURCE_PORT_RANGE.high);
  for (let i = 1; i < slices.length; i++) assert.equal(slices[i]!.low, slices[i - 1]!.high + 1, `slice ${i} starts where ${i - 1} ends`);
  const sizes = slices.map((slice) => slice.high - slice.low + 1);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `even sizes: ${sizes.join(' ')}`);
  assert.throws(() => portSlice(SOURCE_PORT_RANGE, 11, 11), RangeError);
  assert.throws(() => portSlice({ low: 10, high: 12 }, 0, 4), RangeError);
});

test('no pair is handed out twice across processes, and none is on a server\'s port', () => {
  const range = { low: 20_000, high: 20_099 };
  const serverPorts = [20_007, 20_050, 20_099];
  const seen = new Set<string>();
  let total = 0;
  for (let i = 0; i < 7; i++) {
    const pairs = new SourcePairs(ADDRESSES, portSlice(range, i, 7), serverPorts);
    const taken = every(pairs);
    assert.equal(taken.length, pairs.size);
    for (const { localAddress, localPort } of taken) {
      assert.ok(!serverPorts.includes(localPort), `port ${localPort} is a server's`);
      const key = `${localAddress}:${localPort}`;
      assert.ok(!seen.has(key), `${key} handed out twice`);
      seen.add(key);
    }
    total += taken.length;
  }
  assert.equal(total, (100 - serverPorts.length) * ADDRESSES.length);
});

test('addresses turn fastest, so a process spreads its connections over every address', () => {
  const pairs = new SourcePairs(ADDRESSES, { low: 30_000, high: 30_001 });
  assert.deepEqual(every(pairs).map((p) => `${p.localAddress}:${p.localPort}`), [
    '127.0.0.2:30000', '127.0.0.3:30000', '127.0.0.4:30000', '127.0.0.2:30001', '127.0.0.3:30001', '127.0.0.4:30001',
  ]);
});

/** A connect that fails as a bind onto a held port does, for the ports in `held`. */
function fakeConnect(held: ReadonlySet<number>, code = 'EADDRINUSE') {
  return (pair: SourcePair) => (held.has(pair.localPort)
    ? Promise.reject(Object.assign(new Error(`bind ${code}`), { code }))
    : Promise.resolve(pair));
}

test('a taken pair is stepped over for the next; other errors are not retried', async () => {
  const retried: string[] = [];
  const pairs = new SourcePairs(['127.0.0.2'], { low: 40_000, high: 40_009 });
  const pair = await connectFromPairs(pairs, fakeConnect(new Set([40_000, 40_001])), (code) => retried.push(code));
  assert.equal(pair.localPort, 40_002);
  assert.deepEqual(retried, ['EADDRINUSE', 'EADDRINUSE']);
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  await assert.rejects(connectFromPairs(pairs, () => Promise.reject(refused)), refused);
  assert.equal((await connectFromPairs(pairs, fakeConnect(new Set()))).localPort, 40_004, 'the refused pair is not handed out again');
});

test('retries are bounded, and a slice used up says so', async () => {
  const pairs = new SourcePairs(['127.0.0.2'], { low: 41_000, high: 41_999 });
  const all = new Set(Array.from({ length: 1000 }, (_, i) => 41_000 + i));
  await assert.rejects(connectFromPairs(pairs, fakeConnect(all, 'EADDRNOTAVAIL')), { code: 'EADDRNOTAVAIL' });
  assert.equal(every(pairs)[0]!.localPort, 41_000 + MAX_PAIR_RETRIES + 1);
  await assert.rejects(connectFromPairs(pairs, fakeConnect(new Set())), { name: 'SOURCE_PAIRS_EXHAUSTED' });
});

async function listen(host: string): Promise<Server> {
  const server = createServer((socket) => socket.on('error', () => {}));
  server.listen({ host, port: 0 });
  await once(server, 'listening');
  return server;
}

test('over real sockets: a port held on the source address is stepped over, and the next pair connects', { timeout: 10_000 }, async () => {
  const server = await listen('127.0.0.1');
  // A listener on 127.0.0.2 holds the first pair's port: binding it fails with EADDRINUSE.
  const holder = await listen('127.0.0.2');
  const held = (holder.address() as AddressInfo).port;
  const port = (server.address() as AddressInfo).port;
  const retried: string[] = [];
  const pairs = new SourcePairs(['127.0.0.2'], { low: held, high: held + 20 }, [port]);
  const connection = await connectFromPairs(pairs, (pair) => IdleConnection.connect({
    host: '127.0.0.1', port, timeoutMs: 2000, codec: codecFor('text'), ...pair,
  }), (code) => retried.push(code));
  try {
    assert.equal(retried[0], 'EADDRINUSE');
    assert.ok(connection.usable);
  } finally {
    connection.destroy();
    server.close();
    holder.close();
  }
});
