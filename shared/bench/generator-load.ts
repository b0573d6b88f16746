/**
 * One generator thread's share of a load run: its connections, its drivers, its recorder and its
 * own CPU clock. The coordinator (generator-pool.ts) moves every thread through the same steps —
 * open, go, measure, stop, drain — so the threads' windows line up; each thread measures only
 * itself, and its figures cross to the coordinator as plain data.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { codecFor } from '../client/codecs.ts';
import { LoadRecorder, type ExportedRecord } from './latency-recorder.ts';
import { LoadDriver, type DriverContext } from './load-driver.ts';
import { OpenLoopScheduler } from './open-loop.ts';
import { threadCpuSeconds } from './proc-stats.ts';
import { RequestTable, Xorshift32 } from './workload.ts';

/** What one thread is asked to do. */
export interface GeneratorShare {
  readonly host: string;
  readonly port: number;
  /** `text` or `binary`. */
  readonly protocol: string;
  readonly connections: number;
  readonly pipeline: number;
  readonly getRatio: number;
  readonly valueSize: number;
  readonly keys: number;
  /** This thread's requests per second in an open loop; 0 = closed loop. */
  readonly rate: number;
  readonly timeoutMs: number;
  readonly seed: number;
}

/** What one thread measured over the window. */
export interface GeneratorWindow {
  readonly record: ExportedRecord;
  /** The thread's window, in seconds. */
  readonly seconds: number;
  /** The thread's own CPU over its window, in percent of one core; undefined where /proc is missing. */
  readonly cpuPercent: number | undefined;
}

/** Open loop: in-flight room per connection when the pipeline setting is smaller. */
const OPEN_LOOP_MIN_IN_FLIGHT = 64;
/** How often requests in flight are checked against the timeout: a tenth of a second is prompt enough. */
const TIMEOUT_CHECK_MS = 100;
/** At most this many connects outstanding at once, so the server's accept queue never overflows. */
const PARALLEL_CONNECTS = 64;

/** A thread's load. */
export class GeneratorLoad {
  /** Replies counted so far in the window, for progress (read by the coordinator now and then). */
  get completed(): number {
    return this.recorder.completed;
  }

  private readonly share: GeneratorShare;
  private readonly recorder = new LoadRecorder();
  private readonly context: DriverContext;
  private readonly drivers: LoadDriver[] = [];
  private readonly draining = new Set<LoadDriver>();
  private scheduler: OpenLoopScheduler | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private onDrained = (): void => {};
  private windowStart = 0;
  private cpuStart: number | undefined;

  /** @param share - this thread's connections and rate */
  constructor(share: GeneratorShare) {
    this.share = share;
    const table = new RequestTable(share, codecFor(share.protocol));
    this.context = {
      table, recorder: this.recorder, random: new Xorshift32(share.seed), getRatio: share.getRatio,
      protocol: share.protocol, running: true, closedLoop: share.rate === 0,
      onIdle: (driver) => {
        if (this.draining.delete(driver) && this.draining.size === 0) this.onDrained();
      },
    };
  }

  /** Opens the connections; failed connects are counted by cause. Resolves with how many opened. */
  async open(): Promise<number> {
    const { host, port, connections, pipeline, rate } = this.share;
    const capacity = rate === 0 ? pipeline : Math.max(pipeline, OPEN_LOOP_MIN_IN_FLIGHT);
    let next = 0;
    const lane = async () => {
      while (next < connections) {
        next++;
        try {
          this.drivers.push(await LoadDriver.open(host, port, this.context, capacity));
        } catch (error) {
          this.recorder.fail(`connect ${(error as NodeJS.ErrnoException).code ?? 'ERROR'}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_CONNECTS, connections) }, lane));
    return this.drivers.length;
  }

  /** Starts sending: fills every pipeline (closed loop) or starts the schedule (open loop). */
  go(): void {
    if (this.share.rate > 0) {
      this.scheduler = new OpenLoopScheduler(this.drivers, this.share.rate);
      this.scheduler.begin();
    } else {
      for (const driver of this.drivers) driver.fill();
    }
    this.timeoutTimer = setInterval(() => {
      const now = performance.now();
      for (const driver of this.drivers) driver.checkTimeout(now, this.share.timeoutMs);
    }, TIMEOUT_CHECK_MS);
  }

  /** The end of warm-up: forget what was counted and start the window and the CPU clock. */
  measure(): void {
    this.recorder.reset();
    this.recorder.measuring = true;
    this.cpuStart = threadCpuSeconds();
    this.windowStart = performance.now();
  }

  /** The end of the window: what this thread measured. Sending goes on until {@link drain}. */
  stop(): GeneratorWindow {
    this.recorder.measuring = false;
    const seconds = (performance.now() - this.windowStart) / 1000;
    const cpuEnd = threadCpuSeconds();
    const cpuPercent = this.cpuStart === undefined || cpuEnd === undefined ? undefined : ((cpuEnd - this.cpuStart) / seconds) * 100;
    return { record: this.recorder.exported(), seconds, cpuPercent };
  }

  /**
   * Stops sending, waits for the requests in flight (at most the request timeout), closes every
   * connection, and returns the requests lost over the whole run, by cause.
   */
  async drain(): Promise<Record<string, number>> {
    this.context.running = false;
    this.scheduler?.stop();
    for (const driver of this.drivers) if (driver.inFlight > 0) this.draining.add(driver);
    if (this.draining.size > 0) {
      let deadline: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.onDrained = resolve;
        deadline = setTimeout(resolve, this.share.timeoutMs);
      });
      // A timer left running would hold the thread open for the rest of the timeout.
      clearTimeout(deadline);
    }
    clearInterval(this.timeoutTimer);
    for (const driver of this.drivers) driver.close();
    return Object.fromEntries(this.recorder.failures);
  }
}
