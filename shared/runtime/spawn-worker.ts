/**
 * Starts a worker thread from a module URL, whether the module is TypeScript run through tsx
 * or JavaScript compiled by tsc — and, with {@link startWorker}, waits until the module has
 * actually loaded.
 *
 * Why the detour: on Node 20 a worker does not inherit the parent's `--import tsx` loader, so a
 * `.ts` entry fails with ERR_UNKNOWN_FILE_EXTENSION. For `.ts` entries the worker starts from a
 * two-line ES module that registers tsx first and then imports the real entry.
 *
 * Why a ready message: the `'online'` event fires when the thread starts running JavaScript, before
 * its module is loaded — under tsx, before it is even transpiled, which takes seconds on a busy
 * machine. Work sent at 'online' waits behind all of that; readiness must come from the module.
 * @module
 */
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';

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

/** The first message of a worker started by {@link startWorker}: its module has loaded. */
export const WORKER_READY = 'kvlab:worker-ready';

/** Called by a worker module once it is set up and listening: {@link startWorker} resolves. */
export function signalReady(): void {
  parentPort?.postMessage(WORKER_READY);
}

/**
 * Starts `entry` like {@link spawnWorker} and resolves once the module has called
 * {@link signalReady}; rejects if the worker fails or exits first. Attach the worker's own message
 * handlers after this resolves: the ready message is consumed here.
 */
export async function startWorker(entry: URL, options: WorkerOptions = {}): Promise<Worker> {
  const isReady = (message: unknown): message is typeof WORKER_READY => message === WORKER_READY;
  const { worker } = await startWorkerUntil(entry, options, isReady, `worker ${entry.pathname}`, 'it was ready');
  return worker;
}

/**
 * Starts `entry` like {@link spawnWorker} and resolves with the worker and its first message that
 * `isReady` accepts (messages before it are ignored); rejects — and ends the thread — if it fails,
 * or exits first. `name` and `until` word the error: `<name> exited with 1 before <until>`.
 */
export function startWorkerUntil<M>(
  entry: URL, options: WorkerOptions, isReady: (message: unknown) => message is M, name: string, until: string,
): Promise<{ worker: Worker; message: M }> {
  const worker = spawnWorker(entry, options);
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isReady(message)) return;
      cleanUp();
      resolve({ worker, message });
    };
    const onError = (error: Error) => {
      cleanUp();
      void worker.terminate();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanUp();
      reject(new Error(`${name} exited with ${code} before ${until}`));
    };
    const cleanUp = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
  });
}
