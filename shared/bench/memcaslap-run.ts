/**
 * `--driver memcaslap`: libmemcached's memcaslap as a neutral, external throughput driver, so a
 * ratio can be cross-checked with a tool nobody here wrote. It gets the run's connection count
 * (`-c`), value size (`-X`), get:set ratio (a `-F` configuration file), protocol (`-B`) and length
 * (`-t`), and its summary's `TPS:` is its throughput. Its own CPU is read per thread from
 * /proc/<pid>/task over the middle of its run, with the server's over the same stretch, so it is
 * judged generator-bound by the same rule as the bench's own threads. memcaslap keeps one request
 * in flight per connection and sends as fast as replies come: a pipelined or open-loop run cannot
 * be expressed, and says so instead of measuring something else.
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generatorUsage, type GeneratorUsage } from './generator-usage.ts';
import { threadsCpuSeconds } from './proc-stats.ts';
import { ServerSampler, type ServerUsage } from './server-sampler.ts';
import type { LoadTarget } from './load-run.ts';

/** Where Debian's libmemcached-tools installs it (memaslap, renamed with the memc prefix). */
export const MEMCASLAP = '/usr/bin/memcaslap';
/** memcaslap refuses keys of 16 bytes or fewer; the bench's own keys are 14 (`kvlab:00000000`). */
const KEY_BYTES = 20;
/**
 * Items per connection in memcaslap's task window (`-w`, in thousands): its gets read keys it set
 * before, and 1k × 50 connections keeps every item of a 100-byte run in a 64 MiB cache.
 */
const WINDOW = '1k';
/** Its CPU is read from this far into its run (after it connected) to this far before its end. */
const MARGIN_S = 0.3;
/** A thread busy less than this share of the window (memcaslap's main thread, waiting) is not a generator thread. */
const IDLE_THREAD_SHARE = 0.01;
/** Past its `-t`, memcaslap is given this long to print its summary before it is killed. */
const GRACE_S = 10;

/** What memcaslap is asked to do. */
export interface MemcaslapSettings {
  readonly connections: number;
  readonly pipeline: number;
  readonly rate: number;
  readonly getRatio: number;
  readonly valueSize: number;
  readonly durationS: number;
  /** `text` or `binary`. */
  readonly protocol: string;
  /** memcaslap's worker threads (`-T`). */
  readonly threads: number;
}

/** What memcaslap measured. */
export interface MemcaslapResult {
  readonly instrument: 'memcaslap';
  /** memcaslap's command line, for the record. */
  readonly command: string;
  readonly seconds: number;
  /** `Ops:` in its summary. */
  readonly requests: number;
  /** `TPS:` in its summary. */
  readonly throughput: number;
  readonly gets: number;
  readonly sets: number;
  readonly getMisses: number;
  readonly hitRate: number;
  /** Lines memcaslap wrote to stderr: it reports failed or unexpected replies there. */
  readonly errorLines: number;
  readonly errorSample: string | undefined;
  readonly generator: GeneratorUsage;
  readonly server: ServerUsage | undefined;
}

/** Why memcaslap cannot run this load, or undefined when it can. */
export function memcaslapUnavailable(settings: Pick<MemcaslapSettings, 'pipeline' | 'rate' | 'valueSize'>): string | undefined {
  if (!existsSync(MEMCASLAP)) return `${MEMCASLAP} is not installed (Debian libmemcached-tools)`;
  if (settings.pipeline > 1) return `memcaslap keeps one request in flight per connection: --pipeline ${settings.pipeline} cannot be expressed`;
  if (settings.rate > 0) return 'memcaslap sends as fast as replies come: an open loop (--rate) cannot be expressed';
  return undefined;
}

/** memcaslap's arguments for `settings` against `host:port`, with its configuration file at `config`. */
export function memcaslapArgs(host: string, port: number, settings: MemcaslapSettings, config: string): string[] {
  const args = ['-s', `${host}:${port}`, '-T', String(settings.threads), '-c', String(settings.connections), '-X', String(settings.valueSize),
    '-w', WINDOW, '-t', `${settings.durationS}s`, '-F', config];
  if (settings.protocol === 'binary') args.push('-B');
  return args;
}

/**
 * memcaslap's configuration: key and value lengths as `min max proportion`, then the command mix
 * (0 = set, 1 = get, each with its proportion).
 */
export function memcaslapConfig(settings: Pick<MemcaslapSettings, 'getRatio' | 'valueSize'>): string {
  return [
    'key', `${KEY_BYTES} ${KEY_BYTES} 1`,
    'value', `${settings.valueSize} ${settings.valueSize} 1`,
    'cmd', `0 ${(1 - settings.getRatio).toFixed(4)}`, `1 ${settings.getRatio.toFixed(4)}`, '',
  ].join('\n');
}

/** The figures of memcaslap's summary, or undefined when it printed none. */
export function parseMemcaslapSummary(output: string): { seconds: number; requests: number; throughput: number; gets: number; sets: number; getMisses: number } | undefined {
  const summary = /Run time: ([\d.]+)s Ops: (\d+) TPS: (\d+)/.exec(output);
  if (!summary) return undefined;
  const count = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(output)?.[1] ?? 0);
  return {
    seconds: Number(summary[1]), requests: Number(summary[2]), throughput: Number(summary[3]),
    gets: count('cmd_get'), sets: count('cmd_set'), getMisses: count('get_misses'),
  };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Total CPU seconds of every thread in `before` and `after`, each thread's difference. */
function threadDeltas(before: Map<number, number>, after: Map<number, number>): number[] {
  const deltas: number[] = [];
  for (const [tid, seconds] of after) deltas.push(seconds - (before.get(tid) ?? 0));
  return deltas;
}

/** Runs memcaslap against `target` for `settings.durationS` seconds. */
export async function runMemcaslap(target: LoadTarget, settings: MemcaslapSettings): Promise<MemcaslapResult> {
  const folder = mkdtempSync(join(tmpdir(), 'kvlab-memcaslap-'));
  const config = join(folder, 'workload.cfg');
  writeFileSync(config, memcaslapConfig(settings));
  const args = memcaslapArgs(target.host, target.port, settings, config);
  const sampler = new ServerSampler(target.pid);
  try {
    const child = spawn(MEMCASLAP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const killer = setTimeout(() => child.kill('SIGKILL'), (settings.durationS + GRACE_S) * 1000);

    // The middle of the run: after it connected and before it stops sending.
    const windowS = Math.max(0.2, settings.durationS - 2 * MARGIN_S);
    await delay(MARGIN_S * 1000);
    const pid = child.pid!;
    const threadsBefore = threadsCpuSeconds(pid);
    const serverBefore = sampler.now();
    const began = performance.now();
    await delay(windowS * 1000);
    const threadsAfter = threadsCpuSeconds(pid);
    const serverAfter = sampler.now();
    const sampledS = (performance.now() - began) / 1000;

    const code = await exited;
    clearTimeout(killer);
    const summary = parseMemcaslapSummary(stdout);
    if (!summary) throw new Error(`memcaslap printed no summary (exit ${code}): ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ')}`);
    // Threads that did nothing (memcaslap's main thread waits for its workers) are left out.
    const perThread = threadDeltas(threadsBefore, threadsAfter).filter((seconds) => seconds / sampledS >= IDLE_THREAD_SHARE).map((seconds) => (seconds / sampledS) * 100);
    const total = perThread.reduce((sum, percent) => sum + percent, 0);
    const errors = stderr.split('\n').filter((line) => line.trim() !== '');
    return {
      instrument: 'memcaslap',
      command: `memcaslap ${args.join(' ').replace(config, 'workload.cfg')}`,
      ...summary,
      hitRate: summary.gets === 0 ? 0 : 1 - summary.getMisses / summary.gets,
      errorLines: errors.length,
      errorSample: errors[0],
      generator: generatorUsage('memcaslap', perThread.length ? perThread : [undefined], total),
      server: sampler.usage(serverBefore, serverAfter, sampledS),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
