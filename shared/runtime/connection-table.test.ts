/**
 * The `stats conns` table in shared memory: rows follow sockets as they open and close, slots are
 * reused, the buffer grows past its first slots up to the connection limit and no further, and
 * another thread reading the same buffer sees the same rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import type { Socket } from 'node:net';
import { startWorker } from './spawn-worker.ts';
import { ConnectionTable, INITIAL_SLOTS } from './connection-table.ts';

const T = { timeout: 20_000 };

/** What the table reads of a socket: its addresses and its data events. */
function fakeSocket(port: number, host = '127.0.0.1'): Socket & EventEmitter {
  return Object.assign(new EventEmitter(), { remoteAddress: host, remotePort: port, localAddress: host, localPort: 11211 }) as unknown as Socket & EventEmitter;
}

test('rows follow sockets; a closed socket\'s slot is reused; past the limit nothing is listed', T, () => {
  const capacity = INITIAL_SLOTS * 3;
  const table = ConnectionTable.create(capacity);
  table.listeningOn('127.0.0.1', 11211);
  const sockets = Array.from({ length: capacity + 5 }, (_, i) => fakeSocket(40_000 + i));
  for (const socket of sockets) table.add(socket);
  let rows = table.describe();
  assert.equal(rows.length, capacity + 1, 'the listener and `capacity` clients, not the 5 beyond');
  assert.deepEqual(rows[0], { id: 0, addr: 'tcp:127.0.0.1:11211', state: 'conn_listening', secsSinceLastCmd: 0 });
  assert.deepEqual(rows[1], { id: 1, addr: 'tcp:127.0.0.1:40000', listenAddr: 'tcp:127.0.0.1:11211', state: 'conn_waiting', secsSinceLastCmd: 0 });
  assert.equal(rows.at(-1)!.addr, `tcp:127.0.0.1:${40_000 + capacity - 1}`);

  table.remove(sockets[3]!);
  rows = table.describe();
  assert.equal(rows.length, capacity);
  assert.ok(!rows.some((row) => row.addr === 'tcp:127.0.0.1:40003'));
  const late = fakeSocket(50_000, '::1');
  table.add(late);
  rows = table.describe();
  assert.equal(rows.length, capacity + 1);
  // The new socket took the freed slot (the 4th client row) with a number of its own; the five
  // turned away were never numbered.
  assert.deepEqual(rows[4], { id: capacity + 1, addr: 'tcp6:[::1]:50000', listenAddr: 'tcp6:[::1]:11211', state: 'conn_waiting', secsSinceLastCmd: 0 });
});

test('another thread reads the rows the owner writes, after the buffer has grown', T, async () => {
  const table = ConnectionTable.create(1000);
  table.listeningOn('::1', 11211);
  const initialBytes = table.buffer.byteLength;
  const worker = await startWorker(new URL('./test/connection-table-reader.ts', import.meta.url), { workerData: table.buffer });
  try {
    const sockets = Array.from({ length: INITIAL_SLOTS * 2 }, (_, i) => fakeSocket(30_000 + i));
    for (const socket of sockets) table.add(socket);
    assert.ok(table.buffer.byteLength > initialBytes, 'the buffer grew past its first slots');
    for (const socket of sockets.slice(0, 10)) table.remove(socket);
    worker.postMessage('describe');
    const [theirs] = (await once(worker, 'message')) as [unknown];
    assert.deepEqual(theirs, table.describe());
    assert.equal((theirs as unknown[]).length, 1 + INITIAL_SLOTS * 2 - 10);
  } finally {
    await worker.terminate();
  }
});
