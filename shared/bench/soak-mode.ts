/**
 * Soak mode: a long, bounded, mixed load through the pooled client (gets, sets of varying sizes,
 * deletes, incrs), checking every value read back, while the server's RSS is sampled over time.
 * A healthy server ends with zero errors, zero corrupted values, and an RSS that levels off.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { Client } from '../client/client.ts';
import { ClientError } from '../client/client-errors.ts';
import type { Codec } from '../client/codec.ts';
import type { BenchOptions } from './options.ts';
import { ProgressBar } from './progress.ts';
import type { RunContext } from './report.ts';
import { writeResults } from './results.ts';
import { ServerSampler, type RssSample } from './server-sampler.ts';
import { formatBytes, formatCount, formatTable } from './table.ts';
import { withProtocol } from './target-protocol.ts';
import { resolveTarget, startTarget, type ServerArgs } from './targets.ts';
import { Xorshift32, keyName } from './workload.ts';

/** The mix, as cumulative thresholds: 70 % get, 20 % set, 5 % delete, 5 % incr. */
const GET_UNTIL = 0.7;
const SET_UNTIL = 0.9;
const DELETE_UNTIL = 0.95;
/** A few shared counters, so that concurrent incrs collide. */
const COUNTERS = 16;
/** About this many RSS samples per run, and never more often than once a second. */
const RSS_SAMPLES = 30;
const LETTERS = 26;
const LOWER_A = 0x61;

/** One target's soak outcome. */
export interface SoakReport {
  readonly name: string;
  readonly command?: string;
  readonly unavailable?: string;
  readonly error?: string;
  readonly seconds?: number;
  readonly operations?: number;
  readonly throughput?: number;
  /** Failed operations by client error code (SERVER_REPLY, TIMEOUT…). */
  readonly errors?: Record<string, number>;
  /** Values read back that were not what any set had stored, and counters that went backwards. */
  readonly corrupted?: number;
  readonly crashed?: boolean;
  readonly rss?: readonly RssSample[];
  readonly serverUnavailable?: string;
  readonly pass?: boolean;
}

/** The value stored for key `index` with `length` bytes: recognisable, so a read can be checked. */
function valueFor(index: number, length: number): Buffer {
  const value = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) value[i] = LOWER_A + ((index + i) % LETTERS);
  return value;
}

function isValueFor(index: number, value: Buffer, maxLength: number): boolean {
  if (value.length < 1 || value.length > maxLength) return false;
  for (let i = 0; i < value.length; i++) if (value[i] !== LOWER_A + ((index + i) % LETTERS)) return false;
  return true;
}

/** Shared state of one soak run. */
interface SoakState {
  readonly client: Client;
  readonly options: BenchOptions;
  readonly deadline: number;
  operations: number;
  corrupted: number;
  readonly errors: Map<string, number>;
}

/** One worker: a request at a time, until the deadline. */
async function worker(state: SoakState, seed: number): Promise<void> {
  const random = new Xorshift32(seed);
  const { client, options } = state;
  const maxLength = options.valueSize * 2;
  const lastCount = new Array<bigint>(COUNTERS).fill(0n);
  while (performance.now() < state.deadline) {
    const pick = random.next();
    const index = random.below(options.keys);
    const key = keyName(index);
    try {
      if (pick < GET_UNTIL) {
        const item = await client.get(key);
        if (item && !isValueFor(index, item.value, maxLength)) state.corrupted++;
      } else if (pick < SET_UNTIL) {
        await client.set(key, valueFor(index, 1 + random.below(maxLength)));
      } else if (pick < DELETE_UNTIL) {
        await client.delete(key);
      } else {
        const counter = index % COUNTERS;
        const value = await client.incr(`kvlab:counter:${counter}`, 1);
        // Other workers only add to a counter, so what this worker sees never goes down.
        if (value === undefined || value <= lastCount[counter]!) state.corrupted++;
        else lastCount[counter] = value;
      }
      state.operations++;
    } catch (error) {
      const code = error instanceof ClientError ? error.code : 'UNEXPECTED';
      state.errors.set(code, (state.errors.get(code) ?? 0) + 1);
    }
  }
}

function serverArgs(options: BenchOptions): ServerArgs {
  return { memcached: options.memcachedArgs, phase: options.phaseArgs };
}

async function soakOne(name: string, host: string, port: number, pid: number | undefined, options: BenchOptions, codec: Codec, bar: ProgressBar) {
  const client = new Client({ host, port, codec, max: options.connections, requestTimeoutMs: options.timeoutMs });
  for (let c = 0; c < COUNTERS; c++) await client.set(`kvlab:counter:${c}`, '0');
  const sampler = new ServerSampler(pid);
  const state: SoakState = {
    client, options, deadline: performance.now() + options.durationS * 1000, operations: 0, corrupted: 0, errors: new Map(),
  };
  const started = performance.now();
  sampler.begin(Math.max(1000, (options.durationS * 1000) / RSS_SAMPLES));
  const ticker = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    bar.update(`${name} soak`, elapsed / options.durationS, `${elapsed.toFixed(0)}/${options.durationS} s ${formatCount(state.operations)} ops`);
  }, 500);
  await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(state, options.seed + i)));
  clearInterval(ticker);
  sampler.end();
  await client.close();
  return { state, seconds: (performance.now() - started) / 1000, sampler };
}

/** Runs soak mode; returns the exit status. */
export async function runSoakMode(options: BenchOptions, context: RunContext, codec: Codec): Promise<number> {
  const bar = new ProgressBar();
  const reports: SoakReport[] = [];
  let failed = false;
  console.log(`soak: ${options.durationS} s per target, ${options.connections} connections, 70% get / 20% set / 5% delete / 5% incr, values 1…${options.valueSize * 2} bytes, ${formatCount(options.keys)} keys`);
  for (const spec of await withProtocol(options.targets.map(resolveTarget), codec.name)) {
    if (spec.unavailable) {
      reports.push({ name: spec.name, unavailable: spec.unavailable });
      continue;
    }
    let command: string | undefined;
    try {
      const target = await startTarget(spec, serverArgs(options));
      command = target.command;
      try {
        const { state, seconds, sampler } = await soakOne(spec.name, target.host, target.port, target.pid, options, codec, bar);
        const crashed = !target.alive();
        const errorCount = [...state.errors.values()].reduce((a, b) => a + b, 0);
        reports.push({
          name: spec.name, command, seconds, operations: state.operations, throughput: state.operations / seconds,
          errors: Object.fromEntries(state.errors), corrupted: state.corrupted, crashed, rss: sampler.samples,
          serverUnavailable: sampler.unavailable, pass: !crashed && errorCount === 0 && state.corrupted === 0,
        });
      } finally {
        await target.stop();
      }
    } catch (error) {
      failed = true;
      reports.push({ name: spec.name, command, error: (error as Error).message.split('\n')[0] });
    }
    bar.clear();
  }

  const measured = reports.filter((r) => r.operations !== undefined);
  const cell = (pick: (r: SoakReport) => string) => measured.map(pick);
  const rss = (r: SoakReport, pick: (samples: readonly RssSample[]) => number) => (r.rss?.length ? formatBytes(pick(r.rss)) : 'n/a');
  const rows = [
    ['operations', ...cell((r) => formatCount(r.operations!))],
    ['operations per second', ...cell((r) => formatCount(r.throughput!))],
    ['errors', ...cell((r) => formatCount(Object.values(r.errors!).reduce((a, b) => a + b, 0)))],
    ['corrupted values', ...cell((r) => formatCount(r.corrupted!))],
    ['server RSS first', ...cell((r) => rss(r, (s) => s[0]!.rssBytes))],
    ['server RSS peak', ...cell((r) => rss(r, (s) => Math.max(...s.map((x) => x.rssBytes))))],
    ['server RSS last', ...cell((r) => rss(r, (s) => s[s.length - 1]!.rssBytes))],
    ['0 errors, no crash', ...cell((r) => (r.pass ? 'PASS' : 'FAIL'))],
  ];
  if (measured.length) console.log(`\n${formatTable(['', ...measured.map((r) => r.name)], rows)}`);
  for (const r of measured) {
    if (r.rss?.length) console.log(`${r.name} RSS over time (MiB): ${r.rss.map((s) => (s.rssBytes / 1024 / 1024).toFixed(1)).join(' ')}`);
    else console.log(`${r.name}: server memory unavailable (${r.serverUnavailable})`);
    if (r.errors && Object.keys(r.errors).length) console.log(`${r.name} errors: ${JSON.stringify(r.errors)}`);
  }
  for (const r of reports) if (r.operations === undefined) console.log(`${r.name}: not available — ${r.unavailable ?? r.error}`);
  const paths = writeResults(options.out, 'soak', context.startedAt, { kind: 'kvlab-bench', mode: 'soak', context, options, targets: reports });
  console.log(`\nreport: ${paths.json}`);
  return failed ? 1 : 0;
}
