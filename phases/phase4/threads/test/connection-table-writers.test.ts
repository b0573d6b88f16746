/**
 * The `stats conns` table with several writer threads, as `--threads N` has: threads that add
 * sockets at the same moment never share a slot or an id, and every socket is listed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { ConnectionTable, INITIAL_SLOTS } from '../../../../shared/runtime/connection-table.ts';
import { startWorker } from '../../../../shared/runtime/spawn-worker.ts';
import type { TableWriterData } from './table-writer.ts';

const T = { timeout: 60_000 };
const WRITER = new URL('./table-writer.ts', import.meta.url);
const WRITERS = 3;
/** Per writer: past the first slots, so the buffer grows while the writers race. */
const EACH = INITIAL_SLOTS * 2;

test('writers racing in several threads get a slot and an id each; all their sockets are listed', T, async () => {
  const table = ConnectionTable.create(WRITERS * EACH);
  table.listeningOn('127.0.0.1', 11211);
  const start = new SharedArrayBuffer(4);
  const workers = await Promise.all(Array.from({ length: WRITERS }, (_, w) => startWorker(WRITER, {
    workerData: { buffer: table.buffer, start, firstPort: 20_000 + w * 1000, count: EACH, closeHalf: w === 0 } satisfies TableWriterData,
  })));
  try {
    const done = workers.map((worker) => once(worker, 'message'));
    Atomics.store(new Int32Array(start), 0, 1);
    Atomics.notify(new Int32Array(start), 0);
    await Promise.all(done);
    const rows = table.describe().slice(1);
    // Writer 0 closed every other socket: half of its rows are gone.
    assert.equal(rows.length, WRITERS * EACH - EACH / 2);
    assert.equal(new Set(rows.map((row) => row.id)).size, rows.length, 'ids are unique');
    const ports = new Set(rows.map((row) => Number(row.addr.split(':').at(-1))));
    for (let w = 0; w < WRITERS; w++) {
      for (let i = 0; i < EACH; i++) {
        const port = 20_000 + w * 1000 + i;
        assert.equal(ports.has(port), !(w === 0 && i % 2 === 0), `port ${port}`);
      }
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
});
