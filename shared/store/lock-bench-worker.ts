/**
 * A worker of the lock benchmark: attaches to the shared lock word or store, warms its loop up,
 * says it is ready, waits at the start gate, runs the loop and reports how long it took (ms).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { AtomicsLock } from './atomics-lock.ts';
import { BENCH_CELL, lockPairs, storeOps, WARMUP_SHARE, type LockBenchJob } from './lock-bench-ops.ts';
import { SharedStore } from './shared-store.ts';

const job = workerData as LockBenchJob;
const port = parentPort!;
const lock = new AtomicsLock(job.cells, BENCH_CELL.lock);
const store = job.store === undefined ? undefined : SharedStore.attach(job.store);

function run(count: number): void {
  if (store) storeOps(store, count, job.seed);
  else lockPairs(lock, job.cells, BENCH_CELL.counter, count);
}

run(Math.ceil(job.count * WARMUP_SHARE));
port.postMessage('ready');
Atomics.wait(job.cells, BENCH_CELL.gate, 0);
const started = performance.now();
run(job.count);
port.postMessage(performance.now() - started);
