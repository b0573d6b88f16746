/**
 * Lost wakeups, looked for directly: a writer and a reader in two worker threads pass records
 * through a series of tiny rings (64–256 bytes, so each side sleeps every few records) while busy
 * threads compete for the cores, and a WakeupWatch on each side flags any wait that ran out its
 * timeout although the other side had pushed or popped during it. The second test shows the watch
 * catching a ring that loses its wakeups, so a pass of the first means something.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../../shared/runtime/spawn-worker.ts';
import { createRing } from './ring-buffer.ts';
import { createStartWord, createWakeupLog } from './wakeup-watch.ts';
import type { WakeupJob, WakeupSideReport } from './stress/wakeup-side.ts';

const SIDE = new URL('./stress/wakeup-side.ts', import.meta.url);
const REAL_RING = new URL('./ring-buffer.ts', import.meta.url).href;
const SILENT_WRITER = new URL('./stress/silent-writer.ts', import.meta.url).href;
/** Each side gives up after this, so that even a ring that loses every wakeup ends the test. */
const DEADLINE_MS = 15_000;

/**
 * Threads that only spin, one more than there are cores, so that the ring's two threads are
 * preempted at random points of their handshake — as under the whole suite's load. Each stops
 * when the returned function is called, and by itself after `maxMs`.
 */
function occupyCores(maxMs: number): () => Promise<void> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const code = `const { workerData } = require('node:worker_threads');
    const stop = new Int32Array(workerData.stop); const end = Date.now() + workerData.maxMs;
    let x = 0; while (Atomics.load(stop, 0) === 0 && Date.now() < end) x++;`;
  const spinners = Array.from({ length: availableParallelism() + 1 }, () =>
    new Worker(code, { eval: true, workerData: { stop: stop.buffer, maxMs } }));
  return async () => {
    Atomics.store(stop, 0, 1);
    await Promise.all(spinners.map((spinner) => spinner.terminate()));
  };
}

function report(worker: Worker): Promise<WakeupSideReport> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)));
  });
}

/** Runs both sides over `capacities.length` fresh rings and returns what each side reports. */
async function exchange(implementation: string, capacities: number[], records: number, waitMs: number) {
  const rings = capacities.map((capacity) => createRing(capacity));
  const shared = { implementation, rings, logs: rings.map(() => createWakeupLog()), start: createStartWord(), records, waitMs, deadlineMs: DEADLINE_MS };
  const writer = spawnWorker(SIDE, { workerData: { ...shared, side: 'write' } satisfies WakeupJob });
  const reader = spawnWorker(SIDE, { workerData: { ...shared, side: 'read' } satisfies WakeupJob });
  try {
    const [wrote, read] = await Promise.all([report(writer), report(reader)]);
    return { wrote, read };
  } finally {
    await Promise.all([writer.terminate(), reader.terminate()]);
  }
}

describe('ring buffer wakeups', () => {
  test('no wakeup is lost: 12 tiny rings × 3,000 records, both sides asleep thousands of times, beside busy threads', { timeout: 40_000 }, async () => {
    const release = occupyCores(DEADLINE_MS);
    try {
      const capacities = [64, 128, 256, 64, 128, 256, 64, 128, 256, 64, 128, 256];
      // 100 ms: long enough that a correct wait is always woken well before it runs out.
      const { wrote, read } = await exchange(REAL_RING, capacities, 3_000, 100);
      assert.equal(wrote.fault, undefined);
      assert.equal(read.fault, undefined);
      assert.equal(read.steps, capacities.length * 3_000);
      assert.deepEqual([...wrote.lost, ...read.lost], [], 'lost wakeups');
      assert.equal(wrote.lostCount + read.lostCount, 0);
      // A stale notify (from a step the sleeper had already seen) must not end a wait early.
      assert.deepEqual({ writer: wrote.earlyFalse, reader: read.earlyFalse }, { writer: 0, reader: 0 }, 'waits that returned false before their timeout');
      // The test means something only if both sides slept often.
      assert.ok(wrote.waits > 1_000 && read.waits > 1_000, `waits: writer ${wrote.waits}, reader ${read.waits}`);
      console.log(`# waits: writer ${wrote.waits} (${wrote.timedOut} timed out), reader ${read.waits} (${read.timedOut} timed out); none lost, none ended early`);
    } finally {
      await release();
    }
  });

  test('the watch catches a writer that never notifies: the reader\'s waits run out although records came', { timeout: 20_000 }, async () => {
    const { wrote, read } = await exchange(SILENT_WRITER, [64], 100, 20);
    assert.equal(read.fault, undefined);
    assert.equal(wrote.lostCount, 0, 'the reader does notify: the writer loses nothing');
    assert.ok(read.lostCount > 0, `the reader's lost wakeups: ${read.lostCount} of ${read.waits} waits`);
    assert.match(read.lost[0]!, /the reader slept its full 20 ms although the writer pushed a record/);
  });
});
