/**
 * A notify can reach a wait it was not meant for: the writer stores TAIL, sees the reader's sleep
 * flag, and is preempted before its Atomics.notify; the reader meanwhile reads the record, finds
 * the ring empty and goes to sleep again — and the late notify wakes that new sleep with nothing
 * behind it. waitForData must then sleep on, not return false before its timeout (a caller
 * reads false as "timed out": exercise 2.3's check took it for a 5 s stall). Here another thread
 * sends that empty notify on purpose, then makes a real step; the same for waitForSpace.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../../shared/runtime/spawn-worker.ts';
import { createRing, RingReader, RingWriter } from './ring-buffer.ts';
import type { StaleNotifierJob, StaleNotifierReport } from './stress/stale-notifier.ts';

const NOTIFIER = new URL('./stress/stale-notifier.ts', import.meta.url);
/** Far longer than the test needs: a wait that lasts it out has missed the real step too. */
const WAIT_MS = 10_000;

/** Starts the notifier and resolves once it has loaded, with a promise of its report. */
async function startNotifier(job: StaleNotifierJob): Promise<{ worker: Worker; report: Promise<StaleNotifierReport> }> {
  const worker = spawnWorker(NOTIFIER, { workerData: job });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const report = new Promise<StaleNotifierReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, report };
}

describe('a notify with nothing behind it does not end a wait early', () => {
  test('waitForData sleeps on until the record that follows the empty notify', { timeout: 20_000 }, async () => {
    const ring = createRing(64);
    const reader = new RingReader(ring);
    const { worker, report } = await startNotifier({ ring, sleeper: 'read', giveUpMs: 5_000 });
    try {
      // Blocks this thread; the notifier wakes it once with nothing, then pushes a record.
      const began = performance.now();
      const arrived = reader.waitForData(WAIT_MS);
      const waitedMs = performance.now() - began;
      assert.equal((await report).wokeSleeper, true, 'the notifier woke the sleeping reader with an empty notify');
      assert.equal(arrived, true, `waitForData(${WAIT_MS}) returned false after ${waitedMs.toFixed(0)} ms, woken by a notify with no record behind it`);
      assert.deepEqual(reader.tryPop(), new Uint8Array([1, 2, 3]));
    } finally {
      await worker.terminate();
    }
  });

  test('waitForSpace sleeps on until the pop that follows the empty notify', { timeout: 20_000 }, async () => {
    const ring = createRing(64);
    const writer = new RingWriter(ring);
    // Four 12-byte records take 16 bytes each: the 64-byte ring is full.
    for (let i = 0; i < 4; i++) assert.equal(writer.tryPush(new Uint8Array(12)), true);
    const { worker, report } = await startNotifier({ ring, sleeper: 'write', giveUpMs: 5_000 });
    try {
      const began = performance.now();
      const room = writer.waitForSpace(12, WAIT_MS);
      const waitedMs = performance.now() - began;
      assert.equal((await report).wokeSleeper, true, 'the notifier woke the sleeping writer with an empty notify');
      assert.equal(room, true, `waitForSpace(12, ${WAIT_MS}) returned false after ${waitedMs.toFixed(0)} ms, woken by a notify with no pop behind it`);
    } finally {
      await worker.terminate();
    }
  });

  test('waitForDataAsync waits on until the record that follows the empty notify', { timeout: 20_000 }, async () => {
    const ring = createRing(64);
    const reader = new RingReader(ring);
    const { worker, report } = await startNotifier({ ring, sleeper: 'read', giveUpMs: 5_000 });
    try {
      const began = performance.now();
      const arrived = await reader.waitForDataAsync(WAIT_MS);
      const waitedMs = performance.now() - began;
      assert.equal((await report).wokeSleeper, true, 'the notifier woke the waiting reader with an empty notify');
      assert.equal(arrived, true, `waitForDataAsync(${WAIT_MS}) resolved false after ${waitedMs.toFixed(0)} ms, woken by a notify with no record behind it`);
    } finally {
      await worker.terminate();
    }
  });
});
