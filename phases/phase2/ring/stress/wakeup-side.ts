/**
 * Worker for the lost-wakeup stress test: one side of a two-thread exchange through each ring it
 * is given in turn, pushing or popping records (see stress-records.ts) and sleeping in
 * waitForSpace / waitForData whenever the ring is full / empty, with a WakeupWatch on every wait.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EMPTY } from '../ring-buffer.ts';
import { meetOtherSide, WakeupWatch, type Side, type WakeupReport } from '../wakeup-watch.ts';
import { checkRecord, fillRecord } from './stress-records.ts';

type RingModule = typeof import('../ring-buffer.ts');

/** What the test passes in. */
export interface WakeupJob {
  /** The module of the ring under test (a URL): the real ring, or a broken one. */
  readonly implementation: string;
  /** Gone through one after the other; each with its own log, both created by createWakeupLog. */
  readonly rings: readonly SharedArrayBuffer[];
  readonly logs: readonly SharedArrayBuffer[];
  readonly start: SharedArrayBuffer;
  readonly side: Side;
  /** Records per ring. */
  readonly records: number;
  /** Each wait's timeout: a lost wakeup costs this much, and is then seen. */
  readonly waitMs: number;
  /** Give up after this long (a broken ring can be slow), so the test stays bounded. */
  readonly deadlineMs: number;
}

/** What the worker reports: the watches' findings summed over the rings, and the first fault. */
export interface WakeupSideReport extends WakeupReport {
  readonly steps: number;
  /**
   * waitForSpace / waitForData calls that returned false before their timeout: they promise to
   * block until there is room (data) or the timeout passes, so each of these broke that promise.
   */
  readonly earlyFalse: number;
  readonly fault: string | undefined;
}

const job = workerData as WakeupJob;
const { RingReader, RingWriter } = (await import(job.implementation)) as RingModule;
meetOtherSide(job.start);
const started = performance.now();
const overdue = () => performance.now() - started > job.deadlineMs;
let steps = 0;
let earlyFalse = 0;
let fault: string | undefined;

/** Runs one wait and counts it if it returned false before `job.waitMs` had passed. */
function timedWait(wait: () => boolean): void {
  const began = performance.now();
  // Atomics.wait never times out early, so a false return before waitMs is the wait's own doing.
  if (!wait() && performance.now() - began < job.waitMs - 1) earlyFalse++;
}
const total = { waits: 0, timedOut: 0, lostCount: 0, lost: [] as string[] };

for (let k = 0; k < job.rings.length && fault === undefined; k++) {
  const ring = job.rings[k]!;
  const watch = new WakeupWatch(ring, job.logs[k]!, job.side);
  if (job.side === 'write') {
    const writer = new RingWriter(ring);
    const scratch = new Uint8Array(writer.maxRecordLength);
    for (let seq = 0; seq < job.records && fault === undefined; seq++) {
      const record = scratch.subarray(0, fillRecord(seq, scratch, writer.maxRecordLength));
      for (watch.stepBegins(); !writer.tryPush(record); watch.stepBegins()) {
        if (overdue()) fault = `ring ${k}: the writer ran past ${job.deadlineMs} ms at record ${seq}`;
        if (fault !== undefined) break;
        timedWait(() => writer.waitForSpace(record.length, job.waitMs));
      }
      if (fault !== undefined) break;
      watch.stepDone();
      steps++;
    }
  } else {
    const reader = new RingReader(ring);
    const scratch = new Uint8Array(reader.maxRecordLength);
    for (let seq = 0; seq < job.records && fault === undefined;) {
      watch.stepBegins();
      const length = reader.popInto(scratch);
      if (length === EMPTY) {
        if (overdue()) fault = `ring ${k}: the reader ran past ${job.deadlineMs} ms at record ${seq}`;
        else timedWait(() => reader.waitForData(job.waitMs));
        continue;
      }
      watch.stepDone();
      fault = checkRecord(scratch, length, seq, reader.maxRecordLength);
      seq++;
      steps++;
    }
  }
  watch.stop();
  const found = watch.report();
  total.waits += found.waits;
  total.timedOut += found.timedOut;
  total.lostCount += found.lostCount;
  total.lost.push(...found.lost.map((line) => `ring ${k}: ${line}`));
}
parentPort!.postMessage({ ...total, lost: total.lost.slice(0, 5), steps, earlyFalse, fault } satisfies WakeupSideReport);
