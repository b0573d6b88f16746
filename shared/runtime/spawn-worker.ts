/**
 * Starts a worker thread from a module URL, whether the module is TypeScript run through tsx
 * or JavaScript compiled by tsc.
 *
 * Why the detour: on Node 20 a worker does not inherit the parent's `--import tsx` loader, so a
 * `.ts` entry fails with ERR_UNKNOWN_FILE_EXTENSION. For `.ts` entries the worker starts from a
 * two-line ES module that registers tsx first and then imports the real entry.
 * @module
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts `entry` (usually `new URL('./worker.ts', import.meta.url)`) in a new worker thread.
 * @param entry - the worker's module, as a `file:` URL
 * @param options - passed to `new Worker` (workerData, resourceLimits, …)
 */
export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bootstrap =
    `import('tsx/esm/api')` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
