/**
 * A worker thread for the cross-thread check of exercise 2.3 (ring-buffer): it loads the ring
 * under test from the URL it is given and either pushes the numbered records (sleeping in
 * waitForSpace when the ring is full) or pops them, checking each, and reports what it saw.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorInfo } from './worker-errors.ts';
import { problemWith, recordFor, type RingWorkerMessage, type RingWorkerSetup } from './ring-roles.ts';

type RingModule = typeof import('../../../exercises/phase2/ring-buffer.ts');

const setup = workerData as RingWorkerSetup;
const port = parentPort!;
/**
 * A side that waits this long for the other has waited for a thread that is not coming (a
 * deadlock). Generous: on a busy machine a thread can go unscheduled for seconds, and a check
 * that depends on how fast the machine is would fail there for no fault of the ring.
 */
const STALL_MS = setup.stallMs;
/**
 * Each wait is at most this long, then the side looks again: a wakeup that went missing costs a
 * second, not the check. A ring whose sides never wake each other still fails — every wait then
 * runs its full second, and the records do not get across within the runner's time.
 */
const WAIT_SLICE_MS = 1000;

/**
 * Waits until the other worker has loaded too (see RingWorkerSetup.start). Not bounded here: the
 * check bounds how long both may take to load, and terminating a worker ends its Atomics.wait.
 */
function meetTheOtherSide(): void {
  const start = new Int32Array(setup.start);
  Atomics.add(start, 0, 1);
  Atomics.notify(start, 0);
  for (let seen = Atomics.load(start, 0); seen < 2; seen = Atomics.load(start, 0)) Atomics.wait(start, 0, seen);
}

try {
  const { RingReader, RingWriter } = (await import(setup.implementation)) as RingModule;
  port.postMessage({ kind: 'ready' } satisfies RingWorkerMessage);
  meetTheOtherSide();
  let received = 0;
  let problem: string | null = null;
  if (setup.role === 'write') {
    const writer = new RingWriter(setup.ring);
    for (let n = 0; n < setup.records && problem === null; n++) {
      const record = recordFor(n);
      // waitForSpace returns after any pop, which may free too little: try again until a deadline.
      const deadline = Date.now() + STALL_MS;
      while (!writer.tryPush(record)) {
        if (Date.now() > deadline) {
          problem = `the writer waited ${STALL_MS} ms for space before record ${n}`;
          break;
        }
        writer.waitForSpace(record.length, WAIT_SLICE_MS);
      }
    }
  } else {
    const reader = new RingReader(setup.ring);
    let deadline = Date.now() + STALL_MS;
    while (received < setup.records && problem === null) {
      if (!reader.waitForData(WAIT_SLICE_MS)) {
        if (Date.now() <= deadline) continue;
        problem = `the reader waited ${STALL_MS} ms for record ${received}, and none came`;
        break;
      }
      deadline = Date.now() + STALL_MS;
      for (let record = reader.tryPop(); record && problem === null; record = reader.tryPop()) {
        problem = problemWith(record, received);
        received++;
      }
    }
  }
  port.postMessage({ kind: 'done', received, problem } satisfies RingWorkerMessage);
} catch (caught) {
  port.postMessage({ kind: 'error', error: errorInfo(caught) } satisfies RingWorkerMessage);
}
