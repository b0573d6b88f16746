/**
 * `npm run bench:lock`: what the store's one global lock costs. Prints its context (Node, CPUs, the
 * command), then times an uncontended lock()+unlock() pair, lock pairs with several threads
 * contending, and store operations inline on the main thread and from 1, 2 and 4 worker threads.
 *
 * Options: `--scale F` multiplies every count (0.1 for a quick, noisier run); `--threads 1,2,4`.
 * @module
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { contextLines, runContext } from '../bench/report.ts';
import { spawnWorker } from '../runtime/spawn-worker.ts';
import { AtomicsLock } from './atomics-lock.ts';
import { BENCH_CELL, lockPairs, preload, storeOps, WARMUP_SHARE, WORKLOAD, type LockBenchJob } from './lock-bench-ops.ts';
import { SharedStore } from './shared-store.ts';

const WORKER = new URL('./lock-bench-worker.ts', import.meta.url);
/** Enough pairs that one run takes a few hundred ms, far above timer resolution. */
const UNCONTENDED_PAIRS = 10_000_000;
/** Pairs per thread when contending: contended pairs are ~10–100× slower. */
const CONTENDED_PAIRS = 1_000_000;
/** Store operations per thread. */
const STORE_OPS = 300_000;
/** 64 MiB: the workload's 10,000 items of 100 bytes use under 2 MiB; sets never run out. */
const STORE_MEMORY = 64 * 1024 * 1024;
const NS_PER_MS = 1e6;
const MS_PER_S = 1e3;
const US_PER_S = 1e6;

/** What one run asks for. */
export interface LockBenchOptions {
  /** Multiplies every count. */
  readonly scale: number;
  /** Thread counts for the contended and store measurements. */
  readonly threads: readonly number[];
}

/** A throughput measurement. */
export interface Rate {
  readonly threads: number;
  /** Operations (or lock pairs) per second, all threads together. */
  readonly perSecond: number;
}

/** Everything one run measured. */
export interface LockBenchResult {
  readonly options: LockBenchOptions;
  /** Nanoseconds per uncontended lock()+unlock() pair. */
  readonly uncontendedNs: number;
  readonly contended: readonly Rate[];
  /** Store operations on the main thread, no workers. */
  readonly inline: Rate;
  readonly workers: readonly Rate[];
}

/** Runs every measurement. */
export async function runLockBench(options: LockBenchOptions): Promise<LockBenchResult> {
  const uncontendedNs = timeUncontended(scaled(UNCONTENDED_PAIRS, options.scale));
  const contended: Rate[] = [];
  for (const threads of options.threads) contended.push(await timeThreads(threads, scaled(CONTENDED_PAIRS, options.scale)));
  const store = SharedStore.create({ memoryBytes: STORE_MEMORY });
  preload(store);
  const inline = timeInline(store, scaled(STORE_OPS, options.scale));
  const workers: Rate[] = [];
  for (const threads of options.threads) workers.push(await timeThreads(threads, scaled(STORE_OPS, options.scale), store));
  return { options, uncontendedNs, contended, inline, workers };
}

/** The report, as lines. */
export function formatLockBench(result: LockBenchResult, command: string): string[] {
  const { scale } = result.options;
  const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const row = (label: string, rate: Rate) =>
    `${label.padEnd(22)} ${fmt(rate.perSecond).padStart(12)} ${fmt((US_PER_S * rate.threads) / rate.perSecond, 2).padStart(12)}`;
  return [
    '# lock benchmark: what the store\'s one global lock costs',
    ...contextLines(runContext(command)),
    '',
    `uncontended lock()+unlock() on the main thread: ${fmt(result.uncontendedNs, 1)} ns per pair (${fmt(scaled(UNCONTENDED_PAIRS, scale))} pairs)`,
    '',
    `lock()+unlock() pairs, threads contending for one lock (${fmt(scaled(CONTENDED_PAIRS, scale))} pairs each)`,
    `${'threads'.padEnd(22)} ${'pairs/s'.padStart(12)} ${'µs/pair/thr'.padStart(12)}`,
    ...result.contended.map((rate) => row(String(rate.threads), rate)),
    '',
    `store ops: ${WORKLOAD.getShare * 100}% get / ${100 - WORKLOAD.getShare * 100}% set, ${WORKLOAD.valueBytes}-byte values, ${fmt(WORKLOAD.keys)} keys (${fmt(scaled(STORE_OPS, scale))} ops per thread)`,
    `${'where'.padEnd(22)} ${'ops/s'.padStart(12)} ${'µs/op/thr'.padStart(12)}`,
    row('inline (main thread)', result.inline),
    ...result.workers.map((rate) => row(`${rate.threads} worker${rate.threads === 1 ? '' : 's'}`, rate)),
  ];
}

function scaled(count: number, scale: number): number {
  return Math.max(1, Math.round(count * scale));
}

function timeUncontended(pairs: number): number {
  const cells = new Int32Array(new SharedArrayBuffer(3 * 4));
  const lock = new AtomicsLock(cells, BENCH_CELL.lock);
  lockPairs(lock, cells, BENCH_CELL.counter, Math.ceil(pairs * WARMUP_SHARE));
  const started = performance.now();
  lockPairs(lock, cells, BENCH_CELL.counter, pairs);
  return ((performance.now() - started) * NS_PER_MS) / pairs;
}

function timeInline(store: SharedStore, ops: number): Rate {
  storeOps(store, Math.ceil(ops * WARMUP_SHARE), 1);
  const started = performance.now();
  storeOps(store, ops, 1);
  return { threads: 1, perSecond: (ops * MS_PER_S) / (performance.now() - started) };
}

/**
 * Starts `threads` workers on lock pairs (no `store`) or store operations, opens the gate when all
 * are ready, and rates the total by the slowest worker's loop time.
 */
async function timeThreads(threads: number, count: number, store?: SharedStore): Promise<Rate> {
  const cells = new Int32Array(new SharedArrayBuffer(3 * 4));
  const workers = Array.from({ length: threads }, (_, i) => {
    const job: LockBenchJob = { cells, store: store?.buffer, count, seed: i + 2 };
    return spawnWorker(WORKER, { workerData: job });
  });
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    const durations = Promise.all(workers.map(async (worker) => (await once(worker, 'message'))[0] as number));
    Atomics.store(cells, BENCH_CELL.gate, 1);
    Atomics.notify(cells, BENCH_CELL.gate);
    const slowest = Math.max(...(await durations));
    return { threads, perSecond: (threads * count * MS_PER_S) / slowest };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function parseOptions(argv: readonly string[]): LockBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { scale: { type: 'string', default: '1' }, threads: { type: 'string', default: '1,2,4' } },
    strict: true,
  });
  const scale = Number(values.scale);
  const threads = values.threads.split(',').map(Number);
  if (!(scale > 0)) throw new Error('--scale needs a positive number');
  if (threads.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--threads needs positive integers, e.g. 1,2,4');
  return { scale, threads };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const command = process.env.npm_lifecycle_event === 'bench:lock'
    ? `npm run bench:lock${argv.length ? ` -- ${argv.join(' ')}` : ''}`
    : `node --import tsx shared/store/lock-bench.ts ${argv.join(' ')}`.trim();
  for (const line of formatLockBench(await runLockBench(options), command)) console.log(line);
}
