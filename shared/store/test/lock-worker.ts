/**
 * A worker for atomics-lock.test.ts. Modes: `count` adds 1 to a plain (non-atomic) cell under the
 * lock, many times; `hold` takes the lock, writes a marker, holds it a while and lets go; `take`
 * takes the lock (waiting if need be), reports, and lets go.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AtomicsLock } from '../atomics-lock.ts';
import { CELL, type LockWorkerData } from './lock-worker-protocol.ts';

const { cells, mode, times = 0, holdMs = 0 } = workerData as LockWorkerData;
const lock = new AtomicsLock(cells, CELL.lock);
/** Plain writes inside each increment: without the lock, 4 workers then lose thousands of updates. */
const WIDEN_STEPS = 16;
const port = parentPort!;

if (mode === 'count') {
  // Wait at the gate so that every worker starts hammering at the same moment.
  Atomics.wait(cells, CELL.gate, 0);
  for (let i = 0; i < times; i++) {
    lock.lock();
    // A deliberately non-atomic read-modify-write, its window widened by a few plain writes between
    // the read and the write back: only the lock keeps increments from being lost.
    const seen = cells[CELL.counter]!;
    for (let step = 0; step < WIDEN_STEPS; step++) cells[CELL.marker] = step;
    cells[CELL.counter] = seen + 1;
    lock.unlock();
  }
  port.postMessage('done');
} else if (mode === 'hold') {
  lock.lock();
  cells[CELL.marker] = 42;
  port.postMessage('held');
  // Keep the lock for holdMs so the main thread has to block in lock(); a timed wait on a cell
  // nobody notifies is simply a sleep that does not spin a core.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs);
  cells[CELL.marker] = 43;
  lock.unlock();
} else {
  port.postMessage('trying');
  lock.lock();
  port.postMessage('acquired');
  lock.unlock();
}
