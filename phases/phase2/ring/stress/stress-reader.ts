/**
 * Stress-test worker: pops records from the ring, checks that each is the next one, whole and
 * unaltered (see stress-records.ts), sleeping in waitForData whenever the ring is empty, and
 * reports how many arrived and the first faults found.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EMPTY, RingReader } from '../ring-buffer.ts';
import { checkRecord } from './stress-records.ts';

/** What the test passes in. */
export interface ReaderJob {
  readonly ring: SharedArrayBuffer;
  readonly count: number;
  readonly deadlineMs: number;
}

/** What the worker reports. */
export interface ReaderReport {
  readonly received: number;
  /** The first few faults (a broken ring produces millions; the first ones tell the story). */
  readonly faults: string[];
  /** How often the ring was empty and the reader went to sleep. */
  readonly sleeps: number;
  readonly elapsedMs: number;
}

const WAIT_SLICE_MS = 100;
const MAX_FAULTS = 10;

const job = workerData as ReaderJob;
const reader = new RingReader(job.ring);
const scratch = new Uint8Array(reader.maxRecordLength);
const faults: string[] = [];
const started = performance.now();
let received = 0;
let sleeps = 0;
while (received < job.count && faults.length < MAX_FAULTS) {
  const length = reader.popInto(scratch);
  if (length === EMPTY) {
    if (performance.now() - started > job.deadlineMs) break;
    sleeps++;
    reader.waitForData(WAIT_SLICE_MS);
    continue;
  }
  const fault = checkRecord(scratch, length, received, reader.maxRecordLength);
  if (fault !== undefined) faults.push(fault);
  received++;
}
// Anything left over would be a duplicate or a record nobody sent.
if (faults.length === 0 && reader.hasData()) faults.push('records remain after the last one expected');
const report: ReaderReport = { received, faults, sleeps, elapsedMs: performance.now() - started };
parentPort?.postMessage(report);
