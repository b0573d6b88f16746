/**
 * The two-thread check of exercise 2.3 measures the ring, not how fast each thread starts: a side
 * that is loaded and running while the other is still loading (tsx transpiles each worker's
 * modules, seconds on a busy machine) must not count that time against its stall limit.
 */
import { test } from 'node:test';
import { spawnWorker } from '../../runtime/spawn-worker.ts';
import { createRing } from '../../../phases/phase2/ring/ring-buffer.ts';
import { expectSame, fail } from '../checks.ts';
import { repoUrl } from '../paths.ts';
import { WorkerMessages } from '../support/worker-messages.ts';
import { createStart, type RingWorkerMessage, type RingWorkerSetup } from '../support/ring-roles.ts';

const WORKER = new URL('../support/ring-worker.ts', import.meta.url);
/** Short, so that the late start below is several stall limits long. */
const STALL_MS = 200;
/** How much later than the reader the writer starts: a writer still loading on a busy machine. */
const LATE_BY_MS = 4 * STALL_MS;
const RECORDS = 2_000;

test('a writer that starts long after the reader is not a stall: the stall clock starts when both sides run', { timeout: 30_000 }, async () => {
  const ring = createRing(1024);
  const start = createStart();
  const setup = (role: RingWorkerSetup['role']): RingWorkerSetup => ({
    implementation: repoUrl('solutions/phase2/ring-buffer.ts').href, ring, start, role, records: RECORDS, stallMs: STALL_MS,
  });
  const given = `a reader thread started ${LATE_BY_MS} ms before its writer, stall limit ${STALL_MS} ms`;
  const reader = new WorkerMessages<RingWorkerMessage>(spawnWorker(WORKER, { workerData: setup('read') }));
  let writer: WorkerMessages<RingWorkerMessage> | undefined;
  try {
    await reader.waitFor('ready', 20_000, given, 'the reader to load');
    // A real delay, not a wait for readiness: it stands for a writer that is slow to load.
    await new Promise((resolve) => setTimeout(resolve, LATE_BY_MS));
    writer = new WorkerMessages<RingWorkerMessage>(spawnWorker(WORKER, { workerData: setup('write') }));
    const wrote = await writer.waitFor('done', 20_000, given, 'the writer to finish');
    const read = await reader.waitFor('done', 20_000, given, 'the reader to finish');
    if (read.kind === 'done' && read.problem) fail(given, 'no stall reported', read.problem);
    if (wrote.kind === 'done' && wrote.problem) fail(given, 'no stall reported', wrote.problem);
    if (read.kind === 'done') expectSame(read.received, RECORDS, `${given}: records the reader received`);
  } finally {
    await Promise.all([reader.worker.terminate(), writer?.worker.terminate()]);
  }
});
