/**
 * Microbenchmark: the lock-free SharedArrayBuffer ring against postMessage, for the same payload
 * sizes. Throughput: one worker sends N records to another (records/s and MB/s). Latency: this
 * thread sends a record to an echo worker and waits for it to come back (round trip, µs), with
 * the ring waited on by blocking (Atomics.wait), by the event loop (Atomics.waitAsync), and with
 * postMessage. Prints its context (Node, CPUs, the command) first, so results can be compared.
 *
 * Run: `npm run bench:ring` (add `-- --scale 0.2` for a quicker, noisier run).
 * @module
 */
import { availableParallelism, cpus } from 'node:os';
import { MessageChannel, type TransferListItem, type Worker } from 'node:worker_threads';
import { spawnWorker } from '../../../shared/runtime/spawn-worker.ts';
import { createRing, EMPTY, RingReader, RingWriter } from './ring-buffer.ts';
import type { BenchJob, BenchReport } from './bench/bench-worker.ts';

const WORKER = new URL('./bench/bench-worker.ts', import.meta.url);
/** Payloads: a small command, a typical cached value, a page. */
const SIZES = [16, 256, 4096];
/** 1 MiB: big enough that a 4 KiB record never waits on the ring's size. */
const RING_CAPACITY = 1 << 20;
/** Each throughput run moves about this many bytes, within the record-count bounds below. */
const BYTES_PER_RUN = 64 * 1024 * 1024;
const MIN_RECORDS = 50_000;
const MAX_RECORDS = 1_000_000;
const ROUND_TRIPS = 20_000;
/** Round trips run first and thrown away, so the JIT has compiled both sides. */
const WARMUP_TRIPS = 2_000;
const MICROS_PER_MS = 1000;
const MB = 1024 * 1024;

const scaleArg = process.argv.indexOf('--scale');
const scale = scaleArg >= 0 ? Number(process.argv[scaleArg + 1]) : 1;
if (!(scale > 0)) throw new Error('--scale needs a positive number');

/** Starts a bench worker and resolves once it is ready for "go". */
function startWorker(job: BenchJob, transfer: TransferListItem[] = []): Promise<Worker> {
  const worker = spawnWorker(WORKER, { workerData: job, transferList: transfer });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

function reportOf(worker: Worker): Promise<BenchReport> {
  return new Promise((resolve, reject) => {
    worker.once('message', (report: BenchReport) => resolve(report));
    worker.once('error', reject);
  });
}

interface Throughput {
  readonly recordsPerSecond: number;
  readonly megabytesPerSecond: number;
}

/** One worker sends `count` records of `size` bytes to another; timed by the receiver. */
async function throughput(kind: 'ring' | 'port', size: number, count: number): Promise<Throughput> {
  let writer: Worker;
  let reader: Worker;
  if (kind === 'ring') {
    const ring = createRing(RING_CAPACITY);
    reader = await startWorker({ role: 'ring-reader', ring, count, size });
    writer = await startWorker({ role: 'ring-writer', ring, count, size });
  } else {
    const { port1, port2 } = new MessageChannel();
    reader = await startWorker({ role: 'port-reader', port: port2, count, size }, [port2]);
    writer = await startWorker({ role: 'port-writer', port: port1, count, size }, [port1]);
  }
  const done = reportOf(reader);
  reader.postMessage('go');
  writer.postMessage('go');
  const { elapsedMs } = await done;
  await Promise.all([reader.terminate(), writer.terminate()]);
  const seconds = elapsedMs / 1000;
  return { recordsPerSecond: count / seconds, megabytesPerSecond: (count * size) / MB / seconds };
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

function summarize(samplesMs: number[]): Latency {
  const sorted = samplesMs.slice(WARMUP_TRIPS).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * MICROS_PER_MS;
  const mean = (sorted.reduce((sum, x) => sum + x, 0) / sorted.length) * MICROS_PER_MS;
  return { p50: at(0.5), p99: at(0.99), mean };
}

/** Round trips through an echo worker over two rings; this thread waits blocking or async. */
async function ringLatency(size: number, trips: number, waitAsync: boolean): Promise<Latency> {
  const requests = createRing(RING_CAPACITY);
  const replies = createRing(RING_CAPACITY);
  const echo = await startWorker({ role: 'ring-echo', requests, replies, size });
  echo.postMessage('go');
  const writer = new RingWriter(requests);
  const reader = new RingReader(replies);
  const record = new Uint8Array(size).fill(7);
  const back = new Uint8Array(size);
  const samples: number[] = [];
  for (let i = 0; i < trips; i++) {
    const sent = performance.now();
    writer.tryPush(record);
    while (reader.popInto(back) === EMPTY) {
      if (waitAsync) await reader.waitForDataAsync(1000);
      else reader.waitForData(1000);
    }
    samples.push(performance.now() - sent);
  }
  writer.tryPush(new Uint8Array(0));
  await echo.terminate();
  return summarize(samples);
}

/** Round trips through an echo worker with postMessage both ways. */
async function portLatency(size: number, trips: number): Promise<Latency> {
  const echo = await startWorker({ role: 'port-echo', size });
  echo.postMessage('go');
  const record = new Uint8Array(size).fill(7);
  const samples: number[] = [];
  let arrived: () => void = () => undefined;
  echo.on('message', () => arrived());
  for (let i = 0; i < trips; i++) {
    const back = new Promise<void>((resolve) => { arrived = resolve; });
    const sent = performance.now();
    echo.postMessage(record);
    await back;
    samples.push(performance.now() - sent);
  }
  await echo.terminate();
  return summarize(samples);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pad = (s: string, width: number) => s.padStart(width);

async function main(): Promise<void> {
  console.log('# ring buffer vs postMessage');
  console.log(`node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${process.platform} ${process.arch}`);
  console.log(`command: node --import tsx phases/phase2/ring/ring-bench.ts${scale === 1 ? '' : ` --scale ${scale}`}  (npm run bench:ring)`);
  console.log(`ring capacity ${RING_CAPACITY / 1024} KiB; throughput: one worker to another; latency: round trip through an echo worker\n`);

  console.log('throughput');
  console.log(`${pad('payload', 8)} ${pad('records', 9)} ${pad('ring rec/s', 12)} ${pad('ring MB/s', 10)} ${pad('post rec/s', 12)} ${pad('post MB/s', 10)} ${pad('ring/post', 10)}`);
  for (const size of SIZES) {
    const count = Math.round(Math.min(MAX_RECORDS, Math.max(MIN_RECORDS, BYTES_PER_RUN / size)) * scale);
    const ring = await throughput('ring', size, count);
    const port = await throughput('port', size, count);
    console.log(`${pad(`${size} B`, 8)} ${pad(fmt(count), 9)} ${pad(fmt(ring.recordsPerSecond), 12)} ${pad(fmt(ring.megabytesPerSecond, 1), 10)} ` +
      `${pad(fmt(port.recordsPerSecond), 12)} ${pad(fmt(port.megabytesPerSecond, 1), 10)} ${pad(`${fmt(ring.recordsPerSecond / port.recordsPerSecond, 1)}×`, 10)}`);
  }

  const trips = Math.round(ROUND_TRIPS * scale) + WARMUP_TRIPS;
  console.log(`\nround-trip latency, µs (p50 / p99 / mean of ${fmt(trips - WARMUP_TRIPS)} trips after ${fmt(WARMUP_TRIPS)} warm-up)`);
  console.log(`${pad('payload', 8)} ${pad('ring, Atomics.wait', 24)} ${pad('ring, Atomics.waitAsync', 26)} ${pad('postMessage', 24)}`);
  const show = (l: Latency) => `${fmt(l.p50, 1)} / ${fmt(l.p99, 1)} / ${fmt(l.mean, 1)}`;
  for (const size of SIZES) {
    const blocking = await ringLatency(size, trips, false);
    const async = await ringLatency(size, trips, true);
    const port = await portLatency(size, trips);
    console.log(`${pad(`${size} B`, 8)} ${pad(show(blocking), 24)} ${pad(show(async), 26)} ${pad(show(port), 24)}`);
  }
}

await main();
