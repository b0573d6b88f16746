/**
 * The connection limit in the shared count (memcached's `-c`): with several threads accepting at
 * once (phase 4's `--threads`), a place is taken in one atomic step, so the count never goes past
 * the limit — a read of the count followed by an add would let two threads take the last place.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { startWorker } from './spawn-worker.ts';
import { ServerCounters } from './server-counters.ts';
import type { ReserveWorkerData, ReserveWorkerReport } from './test/reserve-worker.ts';

const T = { timeout: 30_000 };
const THREADS = 4;
const LIMIT = 2;
const ROUNDS = 200_000;

test('a place is reserved under the limit and given back; at the limit none is', T, () => {
  const counters = new ServerCounters();
  assert.equal(counters.reserveConnection(2), true);
  assert.equal(counters.reserveConnection(2), true);
  assert.equal(counters.reserveConnection(2), false, 'the third of a limit of 2');
  assert.equal(counters.currConnections, 2);
  assert.equal(counters.totalConnections, 0, 'a reservation is not yet a served connection');
  counters.connectionAdmitted();
  counters.connectionClosed();
  assert.equal(counters.currConnections, 1);
  assert.equal(counters.totalConnections, 1);
  assert.equal(counters.reserveConnection(2), true, 'a place given back can be taken again');
});

test(`${THREADS} threads taking and giving back places never hold more than the limit (${LIMIT})`, T, async () => {
  const counters = new ServerCounters();
  const start = new SharedArrayBuffer(4);
  const setup: ReserveWorkerData = { counters: counters.buffer, start, limit: LIMIT, rounds: ROUNDS };
  const workers = await Promise.all(Array.from({ length: THREADS }, () => startWorker(new URL('./test/reserve-worker.ts', import.meta.url), { workerData: setup })));
  try {
    const reports = workers.map((worker) => once(worker, 'message') as Promise<[ReserveWorkerReport]>);
    Atomics.store(new Int32Array(start), 0, 1);
    Atomics.notify(new Int32Array(start), 0);
    const results = (await Promise.all(reports)).map(([report]) => report);
    // Not every thread need take one: two threads descheduled while holding both places can keep
    // a third out for all its rounds.
    assert.ok(results.some((result) => result.taken > 0), 'places were taken');
    for (const [i, result] of results.entries()) {
      assert.ok(result.highest <= LIMIT, `thread ${i} saw ${result.highest} places taken, over the limit of ${LIMIT}`);
    }
    assert.equal(counters.currConnections, 0, 'every place given back');
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
});
