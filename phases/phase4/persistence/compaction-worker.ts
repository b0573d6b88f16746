/**
 * A compaction, in its own thread: read the newest snapshot and the log segments up to the one a
 * rotation just ended, and write them as the next snapshot. It reads only files that are no longer
 * written to, so the server keeps serving and logging meanwhile; the cost is this thread's CPU and
 * a second copy of the live items in its memory while it runs.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recover } from './recovery.ts';
import { writeSnapshot } from './snapshot-writer.ts';

/** What the worker is asked. */
export interface CompactionJob {
  readonly dir: string;
  /** The last segment the snapshot covers. */
  readonly upTo: number;
}

/** What it answers. */
export type CompactionResult =
  | { readonly ok: true; readonly items: number; readonly bytes: number }
  | { readonly ok: false; readonly error: string };

const job = workerData as CompactionJob;
try {
  const recovered = await recover(job.dir, { repair: false, upTo: job.upTo, warn: () => undefined });
  const written = await writeSnapshot(job.dir, job.upTo, recovered.map, Date.now());
  parentPort?.postMessage({ ok: true, items: written.items, bytes: written.bytes } satisfies CompactionResult);
} catch (error) {
  parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies CompactionResult);
}
