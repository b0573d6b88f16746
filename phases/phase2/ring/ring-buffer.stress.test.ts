/**
 * Stress: millions of records of varying length, many of them forcing wrap-around, pushed by one
 * worker thread and popped by another through a small ring. Every record carries its sequence
 * number and a checksum; the reader proves none is lost, duplicated, reordered or torn. A second
 * test does the same with the reader on this thread's event loop, waiting with Atomics.waitAsync.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../../shared/runtime/spawn-worker.ts';
import { createRing, EMPTY, RingReader } from './ring-buffer.ts';
import { checkRecord } from './stress/stress-records.ts';
import type { ReaderJob, ReaderReport } from './stress/stress-reader.ts';
import type { WriterJob, WriterReport } from './stress/stress-writer.ts';

/** 3 M records: "millions", yet a few seconds on two cores. */
const RECORDS = 3_000_000;
/** 64 KiB: small enough that the ring is full and empty over and over, and wraps ~1,000 times. */
const CAPACITY = 64 * 1024;
/** The workers give up after this; the test's own timeout is above it. */
const DEADLINE_MS = 40_000;

/** Starts a worker and resolves with the one report it posts. */
function runWorker<Report>(worker: Worker): Promise<Report> {
  return new Promise((resolve, reject) => {
    worker.once('message', (report: Report) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)));
  });
}

describe('ring buffer under stress', () => {
  test(`${RECORDS.toLocaleString('en')} records, writer and reader in two worker threads`, { timeout: 60_000 }, async () => {
    const ring = createRing(CAPACITY);
    const writerJob: WriterJob = { ring, count: RECORDS, deadlineMs: DEADLINE_MS };
    const readerJob: ReaderJob = { ring, count: RECORDS, deadlineMs: DEADLINE_MS };
    const reader = spawnWorker(new URL('./stress/stress-reader.ts', import.meta.url), { workerData: readerJob });
    const writer = spawnWorker(new URL('./stress/stress-writer.ts', import.meta.url), { workerData: writerJob });
    try {
      const [read, wrote] = await Promise.all([runWorker<ReaderReport>(reader), runWorker<WriterReport>(writer)]);
      assert.deepEqual(read.faults, []);
      assert.equal(wrote.sent, RECORDS);
      assert.equal(read.received, RECORDS);
      const seconds = Math.max(read.elapsedMs, wrote.elapsedMs) / 1000;
      console.log(`# ${RECORDS} records in ${seconds.toFixed(2)} s (${Math.round(RECORDS / seconds).toLocaleString('en')} records/s); ` +
        `ring full ${wrote.fullTimes} times, empty ${read.sleeps} times`);
    } finally {
      await Promise.all([reader.terminate(), writer.terminate()]);
    }
  });

  test('500,000 records to a reader on the event loop (Atomics.waitAsync)', { timeout: 60_000 }, async () => {
    const count = 500_000;
    const ring = createRing(CAPACITY);
    const writerJob: WriterJob = { ring, count, deadlineMs: DEADLINE_MS };
    const writer = spawnWorker(new URL('./stress/stress-writer.ts', import.meta.url), { workerData: writerJob });
    const reader = new RingReader(ring);
    const scratch = new Uint8Array(reader.maxRecordLength);
    const faults: string[] = [];
    let received = 0;
    let ticks = 0;
    // A timer that must keep firing proves the loop is never blocked while the reader waits.
    const heartbeat = setInterval(() => ticks++, 1);
    try {
      const wrote = runWorker<WriterReport>(writer);
      const started = performance.now();
      while (received < count && faults.length === 0 && performance.now() - started < DEADLINE_MS) {
        if (!(await reader.waitForDataAsync(100))) continue;
        // Drain what is there, then yield to the loop again.
        for (let length = reader.popInto(scratch); length !== EMPTY; length = reader.popInto(scratch)) {
          const fault = checkRecord(scratch, length, received, reader.maxRecordLength);
          if (fault !== undefined) faults.push(fault);
          received++;
        }
      }
      assert.deepEqual(faults, []);
      assert.equal(received, count);
      assert.equal((await wrote).sent, count);
      assert.ok(ticks > 0, 'the event loop kept running');
    } finally {
      clearInterval(heartbeat);
      await writer.terminate();
    }
  });
});
