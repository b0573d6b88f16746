/**
 * One thread of the connection-limit check: takes and gives back places in the shared count as
 * fast as it can, and reports the highest count it saw while it held a place.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { signalReady } from '../spawn-worker.ts';
import { ServerCounters } from '../server-counters.ts';

/** What the test hands each thread. */
export interface ReserveWorkerData {
  readonly counters: SharedArrayBuffer;
  /** An Int32 word the test sets to 1 (and notifies) to start every thread at once. */
  readonly start: SharedArrayBuffer;
  readonly limit: number;
  readonly rounds: number;
}

/** What each thread reports. */
export interface ReserveWorkerReport {
  readonly taken: number;
  readonly highest: number;
}

const data = workerData as ReserveWorkerData;
const counters = new ServerCounters(data.counters);
signalReady();
Atomics.wait(new Int32Array(data.start), 0, 0);
let taken = 0;
let highest = 0;
for (let i = 0; i < data.rounds; i++) {
  if (!counters.reserveConnection(data.limit)) continue;
  taken++;
  highest = Math.max(highest, counters.currConnections);
  counters.connectionClosed();
}
parentPort!.postMessage({ taken, highest } satisfies ReserveWorkerReport);
