/**
 * The Atomics mutex: its three states on one thread, then real threads — a non-atomic counter
 * incremented under the lock by four workers loses nothing, a sleeping waiter is woken by unlock,
 * and the main thread itself can block in lock() until a worker lets go.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../runtime/spawn-worker.ts';
import { AtomicsLock, LockState } from './atomics-lock.ts';
import { CELL, type LockWorkerData } from './test/lock-worker-protocol.ts';

const WORKER = new URL('./test/lock-worker.ts', import.meta.url);

function cells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * 4));
}

function start(data: LockWorkerData): Worker {
  return spawnWorker(WORKER, { workerData: data });
}

/** How long a helper below waits for a worker before failing the test (and so ending it). */
const WAIT_MS = 10_000;

/** Resolves when `worker` posts `message`; rejects on a worker error or after WAIT_MS. */
async function nextMessage(worker: Worker, message: string): Promise<void> {
  const signal = AbortSignal.timeout(WAIT_MS);
  for (;;) {
    const [got] = (await once(worker, 'message', { signal })) as [string];
    if (got === message) return;
  }
}

/** Resolves once `check` holds, looking again on each turn of the event loop; rejects after WAIT_MS. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${WAIT_MS} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('AtomicsLock on one thread', { timeout: 5000 }, () => {
  test('free → locked → free', () => {
    const word = cells();
    const lock = new AtomicsLock(word, CELL.lock);
    lock.lock();
    assert.equal(word[CELL.lock], LockState.Locked);
    assert.equal(lock.tryLock(), false);
    lock.unlock();
    assert.equal(word[CELL.lock], LockState.Free);
    assert.equal(lock.tryLock(), true);
    lock.unlock();
  });

  test('two AtomicsLock objects over one word are one lock', () => {
    const word = cells();
    const a = new AtomicsLock(word, CELL.lock);
    const b = new AtomicsLock(word, CELL.lock);
    a.lock();
    assert.equal(b.tryLock(), false);
    a.unlock();
    assert.equal(b.tryLock(), true);
    b.unlock();
  });

  test('unlocking a free lock is a bug and says so', () => {
    const lock = new AtomicsLock(cells(), CELL.lock);
    assert.throws(() => lock.unlock(), /not held/);
  });

  test('withLock returns the result and releases even when the body throws', () => {
    const word = cells();
    const lock = new AtomicsLock(word, CELL.lock);
    assert.equal(lock.withLock(() => 7), 7);
    assert.throws(() => lock.withLock(() => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(word[CELL.lock], LockState.Free);
  });

  test('an unlock that finds Contended leaves the word free', () => {
    const word = cells();
    const lock = new AtomicsLock(word, CELL.lock);
    word[CELL.lock] = LockState.Contended; // as if a waiter had announced itself
    lock.unlock(); // notifies nobody (no one sleeps), must not throw
    assert.equal(word[CELL.lock], LockState.Free);
  });
});

describe('AtomicsLock across threads', { timeout: 30000 }, () => {
  test('4 workers × 50,000 non-atomic increments under the lock lose none', async () => {
    const shared = cells();
    const times = 50_000;
    const workers = Array.from({ length: 4 }, () => start({ cells: shared, mode: 'count', times }));
    try {
      await Promise.all(workers.map((w) => once(w, 'online', { signal: AbortSignal.timeout(WAIT_MS) })));
      Atomics.store(shared, CELL.gate, 1);
      Atomics.notify(shared, CELL.gate);
      await Promise.all(workers.map((w) => nextMessage(w, 'done')));
      assert.equal(shared[CELL.counter], 4 * times);
      assert.equal(Atomics.load(shared, CELL.lock), LockState.Free);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });

  test('a waiter sleeps as Contended and is woken by unlock', async () => {
    const shared = cells();
    const lock = new AtomicsLock(shared, CELL.lock);
    lock.lock();
    const worker = start({ cells: shared, mode: 'take' });
    try {
      await nextMessage(worker, 'trying');
      // The worker marks the word Contended just before it sleeps in Atomics.wait.
      await until(() => Atomics.load(shared, CELL.lock) === LockState.Contended);
      const acquired = nextMessage(worker, 'acquired');
      const exited = once(worker, 'exit', { signal: AbortSignal.timeout(WAIT_MS) });
      lock.unlock();
      await acquired;
      // The worker unlocks after reporting, then exits: only then is the word surely free again.
      await exited;
      assert.equal(Atomics.load(shared, CELL.lock), LockState.Free);
    } finally {
      await worker.terminate();
    }
  });

  test('the main thread blocks in lock() until a worker unlocks, then sees its writes', async () => {
    const shared = cells();
    const lock = new AtomicsLock(shared, CELL.lock);
    const worker = start({ cells: shared, mode: 'hold', holdMs: 100 });
    try {
      await nextMessage(worker, 'held');
      lock.lock(); // blocks this thread in Atomics.wait for about 100 ms
      assert.equal(shared[CELL.marker], 43, 'the write made just before unlock is visible');
      lock.unlock();
    } finally {
      await worker.terminate();
    }
  });
});
