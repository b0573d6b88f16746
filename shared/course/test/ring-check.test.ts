/**
 * The two-thread check of exercise 2.3 measures the ring, not how fast each thread starts, and it
 * names a lost wakeup as one. A side that is loaded and running while the other is still loading
 * (tsx transpiles each worker's modules, seconds on a busy machine) must not count that time
 * against its stall limit; a ring whose writer never wakes the reader must be reported as losing
 * a wakeup, not as a slow or stalled thread.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnWorker } from '../../runtime/spawn-worker.ts';
import { createRing } from '../../../phases/phase2/ring/ring-buffer.ts';
import { createStartWord, createWakeupLog } from '../../../phases/phase2/ring/wakeup-watch.ts';
import { expectSame, fail } from '../checks.ts';
import { repoUrl } from '../paths.ts';
import { WorkerMessages } from '../support/worker-messages.ts';
import type { RingWorkerMessage, RingWorkerSetup } from '../support/ring-roles.ts';

const WORKER = new URL('../support/ring-worker.ts', import.meta.url);
const REFERENCE = repoUrl('solutions/phase2/ring-buffer.ts').href;
/** A ring that publishes TAIL but never notifies the reader. */
const SILENT_WRITER = repoUrl('phases/phase2/ring/stress/silent-writer.ts').href;
const RECORDS = 2_000;

type Sides = Record<RingWorkerSetup['role'], WorkerMessages<RingWorkerMessage>>;

function setupFor(implementation: string, stallMs: number): (role: RingWorkerSetup['role']) => RingWorkerSetup {
  const shared = { implementation, ring: createRing(1024), start: createStartWord(), wakeups: createWakeupLog(), records: RECORDS, stallMs };
  return (role) => ({ ...shared, role });
}

function startSide(setup: RingWorkerSetup): WorkerMessages<RingWorkerMessage> {
  return new WorkerMessages<RingWorkerMessage>(spawnWorker(WORKER, { workerData: setup }));
}

/** Both sides' `done` messages: the writer's problem, then the reader's. */
async function problems(sides: Sides, given: string): Promise<{ wrote: string | null; read: string | null; received: number }> {
  const wrote = await sides.write.waitFor('done', 20_000, given, 'the writer to finish');
  const read = await sides.read.waitFor('done', 20_000, given, 'the reader to finish');
  if (wrote.kind !== 'done' || read.kind !== 'done') fail(given, 'two done messages', `${wrote.kind}, ${read.kind}`);
  return { wrote: wrote.problem, read: read.problem, received: read.received };
}

describe('2.3\'s two-thread check', () => {
  test('a writer that starts long after the reader is not a stall: the stall clock starts when both sides run', { timeout: 30_000 }, async () => {
    // The stall limit is short and the late start three times longer; the exchange itself takes
    // milliseconds, so only the time before the writer exists could reach the limit.
    const stallMs = 1_000;
    const lateByMs = 3 * stallMs;
    const setup = setupFor(REFERENCE, stallMs);
    const given = `a reader thread started ${lateByMs} ms before its writer, stall limit ${stallMs} ms`;
    const reader = startSide(setup('read'));
    let writer: WorkerMessages<RingWorkerMessage> | undefined;
    try {
      await reader.waitFor('ready', 20_000, given, 'the reader to load');
      // A real delay, not a wait for readiness: it stands for a writer that is slow to load.
      await new Promise((resolve) => setTimeout(resolve, lateByMs));
      writer = startSide(setup('write'));
      const found = await problems({ read: reader, write: writer }, given);
      if (found.read !== null) fail(given, 'no problem on the reader\'s side', found.read);
      if (found.wrote !== null) fail(given, 'no problem on the writer\'s side', found.wrote);
      expectSame(found.received, RECORDS, `${given}: records the reader received`);
    } finally {
      await Promise.all([reader.worker.terminate(), writer?.worker.terminate()]);
    }
  });

  test('a writer that never notifies is reported as a lost wakeup, within one stall limit', { timeout: 30_000 }, async () => {
    const setup = setupFor(SILENT_WRITER, 1_000);
    const sides = { read: startSide(setup('read')), write: startSide(setup('write')) };
    try {
      const found = await problems(sides, 'a writer that never calls Atomics.notify');
      assert.match(found.read ?? 'no problem', /^the reader slept its full 1000 ms although the writer pushed a record .* its wakeup was lost$/);
    } finally {
      await Promise.all([sides.read.worker.terminate(), sides.write.worker.terminate()]);
    }
  });
});
