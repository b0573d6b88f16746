/**
 * One load run against one server: store every key once, open the connections across the
 * generator threads, warm up, measure for a fixed time, then stop sending and let the requests in
 * flight drain. Closed loop keeps `pipeline` requests in flight per connection; open loop sends at
 * a fixed rate. The generator's own CPU is measured per thread over the same window as the
 * server's, and a run whose generator saturated a core says so.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Codec } from '../client/codec.ts';
import type { Connection } from '../client/connection.ts';
import { GeneratorPool } from './generator-pool.ts';
import { generatorUsage, type GeneratorUsage } from './generator-usage.ts';
import { LoadRecorder, type LatencySummary } from './latency-recorder.ts';
import { openConnections } from './open-connections.ts';
import { ServerSampler, type ServerUsage } from './server-sampler.ts';
import { RequestTable, keyName } from './workload.ts';

/** How hard and how long to push. */
export interface LoadSettings {
  readonly connections: number;
  /** Requests in flight per connection (closed loop), or at most (open loop). */
  readonly pipeline: number;
  readonly getRatio: number;
  readonly valueSize: number;
  readonly keys: number;
  readonly durationS: number;
  readonly warmupS: number;
  /** Requests per second for an open loop; 0 = closed loop. */
  readonly rate: number;
  readonly timeoutMs: number;
  readonly seed: number;
  readonly codec: Codec;
  /** Generator worker threads (default 1); the connections are split over them. */
  readonly generatorThreads?: number;
}

/** Where the server is and, when started here, its process. */
export interface LoadTarget {
  readonly host: string;
  readonly port: number;
  readonly pid: number | undefined;
}

/** What one run measured. */
export interface LoadResult {
  /** The measured window, in seconds. */
  readonly seconds: number;
  /** Replies received in the window. */
  readonly requests: number;
  readonly throughput: number;
  readonly errorReplies: number;
  /** Requests that got no reply, by cause (TIMEOUT, CONNECTION_CLOSED…), and connects that failed. */
  readonly failures: Record<string, number>;
  /** Share of gets that found their key. */
  readonly hitRate: number;
  /** From the intended send time (coordinated omission corrected in an open loop). */
  readonly latency: LatencySummary;
  /** From the actual send time. */
  readonly service: LatencySummary;
  /** The load generator's own CPU over the window, every thread together, in percent of one core. */
  readonly clientCpuPercent: number;
  /** The generator's threads, each one's CPU, and whether it was the bottleneck. */
  readonly generator: GeneratorUsage;
  readonly server: ServerUsage | undefined;
  readonly serverUnavailable: string | undefined;
}

/** Progress of a run, for the progress bar. */
export interface LoadProgress {
  readonly stage: 'connecting' | 'preloading' | 'warm-up' | 'measuring' | 'draining';
  /** Seconds into the stage and the stage's length (0 when open-ended). */
  readonly elapsedS: number;
  readonly totalS: number;
  readonly requests: number;
}

/** Connections that store every key before the run, and the stores each keeps in flight. */
const PRELOAD_CONNECTIONS = 8;
const PRELOAD_WINDOW = 64;
/** RSS sampling period: often enough to see a peak, rare enough to cost nothing. */
const RSS_SAMPLE_MS = 250;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Stores every key once, `PRELOAD_WINDOW` requests in flight per connection, so gets can hit. */
async function preload(connections: readonly Connection[], table: RequestTable): Promise<void> {
  let next = 0;
  await Promise.all(
    connections.map(async (connection) => {
      const window: Promise<unknown>[] = [];
      while (next < table.sets.length) {
        window.push(connection.request({ op: 'set', key: keyName(next++), value: table.value }));
        if (window.length === PRELOAD_WINDOW) await Promise.all(window.splice(0));
      }
      await Promise.all(window);
    }),
  );
}

/** Runs the load against `target` and reports what it measured. */
export async function runLoad(target: LoadTarget, settings: LoadSettings, progress: (p: LoadProgress) => void): Promise<LoadResult> {
  const sampler = new ServerSampler(target.pid);
  const connection = { host: target.host, port: target.port, codec: settings.codec, requestTimeoutMs: settings.timeoutMs };

  // The preload goes through the bench's ordinary client: it is not measured, and it checks that
  // the target answers sets at all before any thread starts.
  progress({ stage: 'preloading', elapsedS: 0, totalS: 0, requests: 0 });
  const loaders = await openConnections(Math.min(PRELOAD_CONNECTIONS, settings.connections), PRELOAD_CONNECTIONS, () => connection);
  if (loaders.connections.length === 0) throw new Error(`no connection could be opened: ${[...loaders.failures.keys()].join(', ')}`);
  try {
    await preload(loaders.connections, new RequestTable(settings, settings.codec));
  } finally {
    for (const loader of loaders.connections) loader.destroy();
  }

  progress({ stage: 'connecting', elapsedS: 0, totalS: 0, requests: 0 });
  const { pool, opened } = await GeneratorPool.open({
    host: target.host, port: target.port, protocol: settings.codec.name, connections: settings.connections,
    pipeline: settings.pipeline, getRatio: settings.getRatio, valueSize: settings.valueSize, keys: settings.keys,
    rate: settings.rate, timeoutMs: settings.timeoutMs, seed: settings.seed, threads: settings.generatorThreads ?? 1,
  });
  if (opened === 0) {
    await pool.terminate();
    throw new Error('no connection could be opened');
  }

  const stageTicker = (stage: LoadProgress['stage'], totalS: number) => {
    const began = performance.now();
    const report = () => progress({ stage, elapsedS: (performance.now() - began) / 1000, totalS, requests: pool.completed });
    report();
    return setInterval(report, 200);
  };

  pool.go();
  let ticker = stageTicker('warm-up', settings.warmupS);
  await delay(settings.warmupS * 1000);
  clearInterval(ticker);

  pool.measure();
  const clientCpuStart = process.cpuUsage();
  const serverStart = sampler.now();
  sampler.begin(RSS_SAMPLE_MS);
  const windowStart = performance.now();
  ticker = stageTicker('measuring', settings.durationS);
  await delay(settings.durationS * 1000);
  const windows = await pool.stop();
  const seconds = (performance.now() - windowStart) / 1000;
  const clientCpu = process.cpuUsage(clientCpuStart);
  const serverEnd = sampler.now();
  sampler.end();
  clearInterval(ticker);

  progress({ stage: 'draining', elapsedS: 0, totalS: 0, requests: pool.completed });
  const lost = await pool.drained();

  const recorder = new LoadRecorder();
  for (const window of windows) recorder.absorb({ ...window.record, failures: {} });
  for (const failures of lost) for (const [cause, count] of Object.entries(failures)) recorder.fail(cause, count);
  for (const [cause, count] of loaders.failures) recorder.fail(`connect ${cause}`, count);
  const gets = recorder.hits + recorder.misses;
  const clientCpuPercent = ((clientCpu.user + clientCpu.system) / 1e6 / seconds) * 100;
  return {
    seconds,
    requests: recorder.completed,
    throughput: recorder.completed / seconds,
    errorReplies: recorder.errorReplies,
    failures: Object.fromEntries(recorder.failures),
    hitRate: gets === 0 ? 0 : recorder.hits / gets,
    latency: recorder.latencySummary(),
    service: recorder.serviceSummary(),
    clientCpuPercent,
    generator: generatorUsage('kvlab', windows.map((window) => window.cpuPercent), clientCpuPercent),
    server: sampler.usage(serverStart, serverEnd, seconds),
    serverUnavailable: sampler.unavailable,
  };
}
