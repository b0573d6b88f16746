/**
 * The worker side of ring-bench.ts. One module, several roles: a throughput writer or reader
 * (over a ring or over a MessagePort), or an echo that sends every record straight back (for
 * round-trip latency). Each role says "ready", waits for "go", runs, and reports its elapsed time.
 * @module
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { EMPTY, RingReader, RingWriter } from '../ring-buffer.ts';

/** What ring-bench.ts asks a worker to do. */
export type BenchJob =
  | { role: 'ring-writer' | 'ring-reader'; ring: SharedArrayBuffer; count: number; size: number }
  | { role: 'port-writer' | 'port-reader'; port: MessagePort; count: number; size: number }
  | { role: 'ring-echo'; requests: SharedArrayBuffer; replies: SharedArrayBuffer; size: number }
  | { role: 'port-echo'; size: number };

/** What a throughput worker reports when done. */
export interface BenchReport {
  readonly elapsedMs: number;
  readonly records: number;
}

/** Seconds a blocked wait lasts before it re-checks (a guard; the benchmark never relies on it). */
const WAIT_SLICE_MS = 1000;

const job = workerData as BenchJob;
const parent = parentPort!;

function report(started: number, records: number): void {
  const message: BenchReport = { elapsedMs: performance.now() - started, records };
  parent.postMessage(message);
}

function ringWriter(ring: SharedArrayBuffer, count: number, size: number): void {
  const writer = new RingWriter(ring);
  const record = new Uint8Array(size).fill(7);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    while (!writer.tryPush(record)) writer.waitForSpace(size, WAIT_SLICE_MS);
  }
  report(started, count);
}

function ringReader(ring: SharedArrayBuffer, count: number, size: number): void {
  const reader = new RingReader(ring);
  const target = new Uint8Array(size);
  const started = performance.now();
  let received = 0;
  while (received < count) {
    if (reader.popInto(target) === EMPTY) reader.waitForData(WAIT_SLICE_MS);
    else received++;
  }
  report(started, received);
}

function portWriter(port: MessagePort, count: number, size: number): void {
  const record = new Uint8Array(size).fill(7);
  const started = performance.now();
  // Each postMessage copies the bytes (structured clone); there is no backpressure to wait on.
  for (let i = 0; i < count; i++) port.postMessage(record);
  report(started, count);
}

function portReader(port: MessagePort, count: number): void {
  const started = performance.now();
  let received = 0;
  port.on('message', () => {
    if (++received === count) {
      report(started, received);
      port.close();
    }
  });
}

/** Blocks on the request ring and sends each record back; a zero-length record means "stop". */
function ringEcho(requests: SharedArrayBuffer, replies: SharedArrayBuffer, size: number): void {
  const reader = new RingReader(requests);
  const writer = new RingWriter(replies);
  const record = new Uint8Array(size);
  for (;;) {
    const length = reader.popInto(record);
    if (length === EMPTY) {
      reader.waitForData(WAIT_SLICE_MS);
      continue;
    }
    if (length === 0) return;
    while (!writer.tryPush(record.subarray(0, length))) writer.waitForSpace(length, WAIT_SLICE_MS);
  }
}

parent.once('message', () => {
  switch (job.role) {
    case 'ring-writer': return ringWriter(job.ring, job.count, job.size);
    case 'ring-reader': return ringReader(job.ring, job.count, job.size);
    case 'port-writer': return portWriter(job.port, job.count, job.size);
    case 'port-reader': return portReader(job.port, job.count);
    case 'ring-echo': return ringEcho(job.requests, job.replies, job.size);
    case 'port-echo':
      parent.on('message', (record: Uint8Array) => parent.postMessage(record));
      return;
  }
});
parent.postMessage('ready');
