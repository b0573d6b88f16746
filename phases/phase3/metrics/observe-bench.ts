/**
 * What one `observe` costs: RequestMetrics.observe called in a tight loop, against the same loop
 * calling an observer that does nothing, and with a second thread observing the same families at
 * once into its own shard (no cache line is shared, so it should cost what one thread does).
 * Prints ns per call; asserts nothing.
 *
 * Run: `node --import tsx phases/phase3/metrics/observe-bench.ts [calls]`
 * @module
 */
import { availableParallelism, cpus } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { COMMAND_FAMILIES, Outcome, Protocol, type RequestObserver } from '../../../shared/protocol/request-observer.ts';
import { signalReady, startWorker } from '../../../shared/runtime/spawn-worker.ts';
import { RequestMetrics } from './request-metrics.ts';

/** 5 million calls: long enough (about 0.2–0.5 s each) to swamp timer and JIT warm-up noise. */
const CALLS = Number(process.argv[2] ?? 5_000_000);
/** Families cycled through, so the loop does not hit one slot only (a server mixes gets and sets). */
const FAMILIES = ['get', 'set', 'get', 'get', 'delete', 'get', 'incr', 'get'] as const;

/** ns per call of `observer.observe` over `calls` calls, after a warm-up pass. */
function measure(observer: RequestObserver, calls: number): number {
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      observer.observe(FAMILIES[i & 7]!, (i & 16) === 0 ? Protocol.Text : Protocol.Binary, Outcome.Ok, 1500 + (i & 1023) * 7);
    }
  };
  run(Math.min(calls, 500_000));
  const started = process.hrtime.bigint();
  run(calls);
  return Number(process.hrtime.bigint() - started) / calls;
}

if (!isMainThread) {
  const { buffer, calls } = workerData as { buffer: SharedArrayBuffer; calls: number };
  // Shard 1: the main thread records into shard 0, as the loop thread and a ring worker would.
  const metrics = RequestMetrics.attach(buffer, 1);
  parentPort!.once('message', () => parentPort!.postMessage(measure(metrics, calls)));
  signalReady();
} else {
  console.log(`node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${CALLS} calls each`);
  console.log(`command: node --import tsx phases/phase3/metrics/observe-bench.ts ${CALLS}`);
  console.log(`families: ${COMMAND_FAMILIES.length}; buffer: ${(RequestMetrics.SHARD_BYTES / 1024 / 1024).toFixed(2)} MiB a thread`);
  const noop: RequestObserver = { observe: () => undefined };
  const baseline = measure(noop, CALLS);
  const metrics = RequestMetrics.create(2);
  const alone = measure(metrics, CALLS);
  console.log(`no-op observer:            ${baseline.toFixed(1)} ns/call`);
  console.log(`RequestMetrics, 1 thread:  ${alone.toFixed(1)} ns/call (${(alone - baseline).toFixed(1)} ns over the no-op)`);
  const worker = await startWorker(new URL(import.meta.url), { workerData: { buffer: metrics.buffer, calls: CALLS } });
  const theirs = new Promise<number>((resolve) => worker.once('message', resolve));
  worker.postMessage('go');
  const ours = measure(metrics, CALLS);
  console.log(`RequestMetrics, 2 threads: ${ours.toFixed(1)} and ${(await theirs).toFixed(1)} ns/call, at once, each on its own shard`);
  await worker.terminate();
  const total = metrics.snapshot().reduce((sum, series) => sum + series.latency.count, 0);
  console.log(`recorded ${total} (expected ${CALLS * 3 + Math.min(CALLS, 500_000) * 3})`);
}
