/**
 * One load run against one server: open the connections, store every key once, warm up, measure
 * for a fixed time, then stop sending and let the requests in flight drain. Closed loop keeps
 * `pipeline` requests in flight per connection; open loop sends at a fixed rate.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Codec } from '../client/codec.ts';
import type { Connection } from '../client/connection.ts';
import { LoadRecorder, type LatencySummary } from './latency-recorder.ts';
import { LoadDriver, type DriverContext } from './load-driver.ts';
import { OpenLoopScheduler } from './open-loop.ts';
import { openConnections } from './open-connections.ts';
import { ServerSampler, type ServerUsage } from './server-sampler.ts';
import { RequestTable, Xorshift32, keyName } from './workload.ts';

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
  /** The load generator's own CPU over the window, in percent of one core. */
  readonly clientCpuPercent: number;
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

/** How many connects or preload requests are outstanding at once. */
const PARALLEL_CONNECTS = 64;
const PRELOAD_WINDOW = 64;
/** RSS sampling period: often enough to see a peak, rare enough to cost nothing. */
const RSS_SAMPLE_MS = 250;
/** Open loop: in-flight room per connection when the pipeline setting is smaller. */
const OPEN_LOOP_MIN_IN_FLIGHT = 64;

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
  const table = new RequestTable(settings, settings.codec);
  const recorder = new LoadRecorder();
  const sampler = new ServerSampler(target.pid);

  progress({ stage: 'connecting', elapsedS: 0, totalS: 0, requests: 0 });
  const opened = await openConnections(settings.connections, PARALLEL_CONNECTS, () => ({
    host: target.host, port: target.port, codec: settings.codec, requestTimeoutMs: settings.timeoutMs,
  }));
  for (const [cause, count] of opened.failures) recorder.fail(`connect ${cause}`, count);
  if (opened.connections.length === 0) throw new Error(`no connection could be opened: ${[...opened.failures.keys()].join(', ')}`);

  progress({ stage: 'preloading', elapsedS: 0, totalS: 0, requests: 0 });
  await preload(opened.connections, table);

  // Once sending stops, the drivers with requests still in flight; the run ends when none is left.
  const draining = new Set<LoadDriver>();
  let onDrained = () => {};
  const context: DriverContext = {
    table, recorder, random: new Xorshift32(settings.seed), getRatio: settings.getRatio,
    running: true, closedLoop: settings.rate === 0,
    onIdle: (driver) => {
      if (draining.delete(driver) && draining.size === 0) onDrained();
    },
  };
  const capacity = context.closedLoop ? settings.pipeline : Math.max(settings.pipeline, OPEN_LOOP_MIN_IN_FLIGHT);
  const drivers = opened.connections.map((connection) => new LoadDriver(connection, context, capacity));
  const scheduler = context.closedLoop ? undefined : new OpenLoopScheduler(drivers, settings.rate);

  const stageTicker = (stage: LoadProgress['stage'], totalS: number) => {
    const began = performance.now();
    const report = () => progress({ stage, elapsedS: (performance.now() - began) / 1000, totalS, requests: recorder.completed });
    report();
    return setInterval(report, 200);
  };

  if (scheduler) scheduler.begin();
  else for (const driver of drivers) driver.fill();

  let ticker = stageTicker('warm-up', settings.warmupS);
  await delay(settings.warmupS * 1000);
  clearInterval(ticker);

  recorder.reset();
  recorder.measuring = true;
  const clientCpuStart = process.cpuUsage();
  const serverStart = sampler.now();
  sampler.begin(RSS_SAMPLE_MS);
  const windowStart = performance.now();
  ticker = stageTicker('measuring', settings.durationS);
  await delay(settings.durationS * 1000);
  recorder.measuring = false;
  const seconds = (performance.now() - windowStart) / 1000;
  const clientCpu = process.cpuUsage(clientCpuStart);
  const serverEnd = sampler.now();
  sampler.end();
  clearInterval(ticker);

  // Stop sending; wait for the requests in flight, but never longer than a request may take.
  context.running = false;
  scheduler?.stop();
  progress({ stage: 'draining', elapsedS: 0, totalS: 0, requests: recorder.completed });
  for (const driver of drivers) if (driver.inFlight > 0) draining.add(driver);
  const drained = new Promise<void>((resolve) => {
    onDrained = resolve;
  });
  if (draining.size === 0) onDrained();
  let drainDeadline: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    drainDeadline = setTimeout(resolve, settings.timeoutMs);
  });
  await Promise.race([drained, deadline]);
  // A timer left running would hold the process open for the rest of timeoutMs.
  clearTimeout(drainDeadline);
  for (const connection of opened.connections) connection.destroy();

  const gets = recorder.hits + recorder.misses;
  return {
    seconds,
    requests: recorder.completed,
    throughput: recorder.completed / seconds,
    errorReplies: recorder.errorReplies,
    failures: Object.fromEntries(recorder.failures),
    hitRate: gets === 0 ? 0 : recorder.hits / gets,
    latency: recorder.latencySummary(),
    service: recorder.serviceSummary(),
    clientCpuPercent: ((clientCpu.user + clientCpu.system) / 1e6 / seconds) * 100,
    server: sampler.usage(serverStart, serverEnd, seconds),
    serverUnavailable: sampler.unavailable,
  };
}
