/**
 * A worker thread for the checks of exercise 1.4 (atomics-lock). It loads the lock under test
 * from the URL it is given and plays one role: `count` increments a shared counter under the lock
 * with a deliberately racy read-then-write, or `wait` takes a lock that the main thread holds.
 * Any error (a `todo()` included) is posted back, so the check can show it.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AtomicsLock as Lock } from '../../../exercises/phase1/atomics-lock.ts';
import { errorInfo } from './worker-errors.ts';
import { LockSlot, type LockWorkerMessage, type LockWorkerSetup } from './atomics-lock-roles.ts';

const setup = workerData as LockWorkerSetup;
const port = parentPort!;

/** Meets the other counters here, so they all run at once and really contend. */
function startTogether(cells: Int32Array, workers: number): void {
  Atomics.add(cells, LockSlot.ARRIVED, 1);
  Atomics.notify(cells, LockSlot.ARRIVED);
  for (let arrived = Atomics.load(cells, LockSlot.ARRIVED); arrived < workers; arrived = Atomics.load(cells, LockSlot.ARRIVED)) {
    // Bounded: a worker that never arrives must not hang this one forever.
    Atomics.wait(cells, LockSlot.ARRIVED, arrived, 1000);
  }
}

try {
  const { AtomicsLock } = (await import(setup.implementation)) as { AtomicsLock: typeof Lock };
  const cells = setup.cells;
  const lock = new AtomicsLock(cells, LockSlot.LOCK);
  if (setup.role === 'count') {
    startTogether(cells, setup.workers);
    for (let i = 0; i < setup.iterations; i++) {
      lock.lock();
      // Read, then write: without mutual exclusion two threads read the same value and one
      // increment is lost. (Atomics.add would hide exactly the bug this checks for.)
      const value = cells[LockSlot.COUNTER]!;
      cells[LockSlot.COUNTER] = value + 1;
      lock.unlock();
    }
  } else {
    port.postMessage({ kind: 'waiting' } satisfies LockWorkerMessage);
    lock.lock();
    Atomics.store(cells, LockSlot.ACQUIRED, 1);
    port.postMessage({ kind: 'acquired' } satisfies LockWorkerMessage);
    lock.unlock();
  }
  port.postMessage({ kind: 'done' } satisfies LockWorkerMessage);
} catch (caught) {
  port.postMessage({ kind: 'error', error: errorInfo(caught) } satisfies LockWorkerMessage);
}
