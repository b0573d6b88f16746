/**
 * A worker thread for the cross-thread check of exercise 2.3 (ring-buffer): it loads the ring
 * under test from the URL it is given and either pushes the numbered records (sleeping in
 * waitForSpace when the ring is full) or pops them, checking each, and reports what it saw.
 * A WakeupWatch looks at every wait the ring makes, so a lost wakeup is reported as one, apart
 * from a stall (the other side doing nothing at all).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { meetOtherSide, WakeupWatch } from '../../../phases/phase2/ring/wakeup-watch.ts';
import { errorInfo } from './worker-errors.ts';
import { problemWith, recordFor, type RingWorkerMessage, type RingWorkerSetup } from './ring-roles.ts';

type RingModule = typeof import('../../../exercises/phase2/ring-buffer.ts');

const setup = workerData as RingWorkerSetup;
const port = parentPort!;
const STALL_MS = setup.stallMs;

try {
  const { RingReader, RingWriter } = (await import(setup.implementation)) as RingModule;
  port.postMessage({ kind: 'ready' } satisfies RingWorkerMessage);
  // The stall clock starts only once the other side has loaded too.
  meetOtherSide(setup.start);
  const watch = new WakeupWatch(setup.wakeups, setup.role);
  /** The first lost wakeup the watch saw, if any. */
  const lostWakeup = (): string | null => watch.report().lost[0] ?? null;
  let received = 0;
  let problem: string | null = null;
  if (setup.role === 'write') {
    const writer = new RingWriter(setup.ring);
    for (let n = 0; n < setup.records && problem === null; n++) {
      const record = recordFor(n);
      // waitForSpace returns after any pop, which may free too little: try again until a deadline.
      const deadline = Date.now() + STALL_MS;
      while (!writer.tryPush(record) && problem === null) {
        const left = deadline - Date.now();
        if (left <= 0) problem = `the writer waited ${STALL_MS} ms for room for record ${n}, and the reader did not free it`;
        else if (!writer.waitForSpace(record.length, left)) problem = lostWakeup();
      }
      if (problem === null) watch.stepDone();
    }
  } else {
    const reader = new RingReader(setup.ring);
    while (received < setup.records && problem === null) {
      if (!reader.waitForData(STALL_MS)) {
        problem = lostWakeup() ?? `the reader waited ${STALL_MS} ms for record ${received}, and the writer pushed nothing`;
        break;
      }
      for (let record = reader.tryPop(); record && problem === null; record = reader.tryPop()) {
        watch.stepDone();
        problem = problemWith(record, received);
        received++;
      }
    }
  }
  watch.stop();
  port.postMessage({ kind: 'done', received, problem } satisfies RingWorkerMessage);
} catch (caught) {
  port.postMessage({ kind: 'error', error: errorInfo(caught) } satisfies RingWorkerMessage);
}
