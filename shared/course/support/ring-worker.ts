/**
 * A worker thread for the cross-thread check of exercise 2.3 (ring-buffer): it loads the ring
 * under test from the URL it is given and either pushes the numbered records (sleeping in
 * waitForSpace when the ring is full) or pops them, checking each, and reports what it saw.
 * A WakeupWatch looks at every wait the ring makes, so a lost wakeup is reported as one, apart
 * from a stall (the other side doing nothing at all).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Slot } from '../../../phases/phase2/ring/ring-layout.ts';
import { meetOtherSide, WakeupWatch } from '../../../phases/phase2/ring/wakeup-watch.ts';
import { errorInfo } from './worker-errors.ts';
import { problemWith, recordFor, type RingWorkerMessage, type RingWorkerSetup } from './ring-roles.ts';

type RingModule = typeof import('../../../exercises/phase2/ring-buffer.ts');

const setup = workerData as RingWorkerSetup;
const port = parentPort!;
const STALL_MS = setup.stallMs;

/** The ring's control words, for a stall's report: what each side had published. */
function ringState(): string {
  const control = new Int32Array(setup.ring, 0, Slot.CAPACITY + 1);
  const word = (slot: number) => Atomics.load(control, slot);
  return `(HEAD ${word(Slot.HEAD)}, TAIL ${word(Slot.TAIL)}, reader sleeping ${word(Slot.READER_SLEEPING)}, writer sleeping ${word(Slot.WRITER_SLEEPING)})`;
}

try {
  const { RingReader, RingWriter } = (await import(setup.implementation)) as RingModule;
  port.postMessage({ kind: 'ready' } satisfies RingWorkerMessage);
  // The stall clock starts only once the other side has loaded too.
  meetOtherSide(setup.start);
  const watch = new WakeupWatch(setup.ring, setup.wakeups, setup.role);
  /**
   * Why a wait that returned false failed: the watch saw a lost wakeup, or the wait ended before
   * its timeout with nothing new (it must sleep on), or the other side did nothing for STALL_MS.
   */
  const whyFalse = (call: string, began: number, stall: string): string => {
    const lost = watch.report().lost[0];
    if (lost !== undefined) return lost;
    const waited = performance.now() - began;
    if (waited < STALL_MS - 1) return `${call} returned false after ${waited.toFixed(0)} ms of its ${STALL_MS} ms: woken with nothing new, it must sleep on ${ringState()}`;
    return `${stall} ${ringState()}`;
  };
  let received = 0;
  let problem: string | null = null;
  if (setup.role === 'write') {
    const writer = new RingWriter(setup.ring);
    for (let n = 0; n < setup.records && problem === null; n++) {
      const record = recordFor(n);
      for (watch.stepBegins(); !writer.tryPush(record); watch.stepBegins()) {
        const began = performance.now();
        if (writer.waitForSpace(record.length, STALL_MS)) continue;
        problem = whyFalse('waitForSpace', began, `the writer waited ${STALL_MS} ms for room for record ${n}, and the reader freed none`);
        break;
      }
      if (problem === null) watch.stepDone();
    }
  } else {
    const reader = new RingReader(setup.ring);
    const pop = () => {
      watch.stepBegins();
      return reader.tryPop();
    };
    while (received < setup.records && problem === null) {
      const began = performance.now();
      if (!reader.waitForData(STALL_MS)) {
        problem = whyFalse('waitForData', began, `the reader waited ${STALL_MS} ms for record ${received}, and the writer pushed nothing`);
        break;
      }
      for (let record = pop(); record && problem === null; record = pop()) {
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
