/**
 * Stress-test worker: pushes records 0…count−1 (see stress-records.ts) into the ring as fast as
 * it can, sleeping in waitForSpace whenever the ring is full, then reports what it did.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RingWriter } from '../ring-buffer.ts';
import { fillRecord } from './stress-records.ts';

/** What the test passes in. */
export interface WriterJob {
  readonly ring: SharedArrayBuffer;
  readonly count: number;
  /** Give up after this long, so a bug cannot hang the test. */
  readonly deadlineMs: number;
}

/** What the worker reports. */
export interface WriterReport {
  readonly sent: number;
  /** How often the ring was full (backpressure at work). */
  readonly fullTimes: number;
  readonly elapsedMs: number;
}

/** How long one wait for space may last before the deadline is checked again. */
const WAIT_SLICE_MS = 100;

const job = workerData as WriterJob;
const writer = new RingWriter(job.ring);
const scratch = new Uint8Array(writer.maxRecordLength);
const started = performance.now();
let sent = 0;
let fullTimes = 0;
for (; sent < job.count; sent++) {
  const length = fillRecord(sent, scratch, writer.maxRecordLength);
  const record = scratch.subarray(0, length);
  while (!writer.tryPush(record)) {
    fullTimes++;
    writer.waitForSpace(length, WAIT_SLICE_MS);
    if (performance.now() - started > job.deadlineMs) break;
  }
  if (performance.now() - started > job.deadlineMs) break;
}
const report: WriterReport = { sent, fullTimes, elapsedMs: performance.now() - started };
parentPort?.postMessage(report);
