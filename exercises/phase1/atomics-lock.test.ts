/**
 * Checks for exercise 1.4 (atomics-lock): the lock word's states on one thread, then real
 * threads — one sleeping on a held lock until it is released, and four racing to increment a
 * counter that only a working lock keeps exact.
 */
import { describe, test } from 'node:test';
import { spawnWorker } from '../../shared/runtime/spawn-worker.ts';
import { loadExercise, implementationUrl } from '../../shared/course/load-exercise.ts';
import { expectSame, expectThrows, fail } from '../../shared/course/checks.ts';
import { WorkerMessages } from '../../shared/course/support/worker-messages.ts';
import { LockSlot, type LockWorkerMessage, type LockWorkerSetup } from '../../shared/course/support/atomics-lock-roles.ts';

const { AtomicsLock, LockState } = await loadExercise<typeof import('./atomics-lock.ts')>(import.meta.url);

const WORKER = new URL('../../shared/course/support/atomics-lock-worker.ts', import.meta.url);
/** Enough increments that two threads inside the lock at once would all but surely lose some. */
const ITERATIONS = 20_000;
const COUNTERS = 4;
const T = { timeout: 30_000 };

function newCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
}

function startWorker(cells: Int32Array, role: LockWorkerSetup['role'], workers = 1): WorkerMessages<LockWorkerMessage> {
  const setup: LockWorkerSetup = { implementation: implementationUrl(import.meta.url).href, cells, role, iterations: ITERATIONS, workers };
  return new WorkerMessages<LockWorkerMessage>(spawnWorker(WORKER, { workerData: setup }));
}

/** Polls shared memory until `ready()` holds (another thread changes it without notifying us). */
async function until(ready: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return ready();
}

describe('1.4 atomics-lock', () => {
  test('tryLock takes a free lock and refuses a held one', T, () => {
    const cells = newCells();
    const lock = new AtomicsLock(cells, LockSlot.LOCK);
    expectSame(lock.tryLock(), true, 'tryLock() on a free lock');
    expectSame(cells[LockSlot.LOCK], LockState.Locked, 'the lock word after tryLock() (1 = Locked)');
    expectSame(new AtomicsLock(cells, LockSlot.LOCK).tryLock(), false, 'tryLock() from a second AtomicsLock over the same word, while it is held');
  });

  test('lock() then unlock() with nobody waiting: the word goes Free → Locked → Free', T, () => {
    const cells = newCells();
    const lock = new AtomicsLock(cells, LockSlot.LOCK);
    lock.lock();
    expectSame(cells[LockSlot.LOCK], LockState.Locked, 'the lock word after lock() on a free lock (1 = Locked, not 2 = Contended)');
    lock.unlock();
    expectSame(cells[LockSlot.LOCK], LockState.Free, 'the lock word after unlock() (0 = Free)');
  });

  test('unlock() of a lock nobody holds throws', T, () => {
    const lock = new AtomicsLock(newCells(), LockSlot.LOCK);
    expectThrows(() => lock.unlock(), Error, 'unlock() on a free lock');
  });

  test('a thread that finds the lock held marks it Contended, sleeps, and gets it after unlock()', T, async () => {
    const cells = newCells();
    const lock = new AtomicsLock(cells, LockSlot.LOCK);
    lock.lock();
    const waiter = startWorker(cells, 'wait');
    try {
      await waiter.waitFor('waiting', 10_000, 'a worker thread started', 'it to report that it is about to call lock()');
      const contended = await until(() => Atomics.load(cells, LockSlot.LOCK) === LockState.Contended || waiter.has('error'), 5000);
      await waiter.waitFor('waiting', 0, '', '');
      if (!contended) {
        fail('the main thread holds the lock; a worker calls lock()', 'the word to become 2 (Contended), so that unlock() knows to wake it',
          `${Atomics.load(cells, LockSlot.LOCK)} after 5000 ms`);
      }
      expectSame(Atomics.load(cells, LockSlot.ACQUIRED), 0, 'while the main thread still holds the lock, did the worker get it too? (1 = yes)');
      lock.unlock();
      await waiter.waitFor('acquired', 5000, 'the main thread calls unlock() while a worker sleeps in lock()',
        'the worker to be woken (Atomics.notify) and take the lock');
    } finally {
      await waiter.worker.terminate();
    }
  });

  test(`mutual exclusion: ${COUNTERS} threads × ${ITERATIONS} increments under the lock lose none`, T, async () => {
    const cells = newCells();
    const workers = Array.from({ length: COUNTERS }, () => startWorker(cells, 'count', COUNTERS));
    try {
      for (const worker of workers) {
        await worker.waitFor('done', 25_000, `${COUNTERS} threads incrementing under lock()`, 'every thread to finish');
      }
      const total = COUNTERS * ITERATIONS;
      const counted = Atomics.load(cells, LockSlot.COUNTER);
      if (counted !== total) {
        fail(`${COUNTERS} threads, each reading the counter and writing it back + 1, ${ITERATIONS} times, inside lock()/unlock()`,
          String(total), `${counted}: ${total - counted} increments were lost, so two threads were inside the lock at once`);
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.worker.terminate()));
    }
  });
});
