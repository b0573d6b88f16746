/**
 * Watches the server process during a run: CPU seconds at marked moments, and RSS sampled on a
 * timer (its peak and its course over time). For a target started elsewhere there is no pid to
 * watch, and every figure is reported as unavailable instead of guessed.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { procAvailable, snapshot, type ProcSnapshot } from './proc-stats.ts';

/** One RSS sample. */
export interface RssSample {
  /** Seconds since sampling began. */
  readonly atS: number;
  readonly rssBytes: number;
}

/** What the server used over a window. */
export interface ServerUsage {
  /** CPU time over wall time, in percent of one core (above 100 with several threads busy). */
  readonly cpuPercent: number;
  readonly rssStartBytes: number;
  readonly rssEndBytes: number;
  readonly rssPeakBytes: number;
}

/** Samples one server process tree. */
export class ServerSampler {
  /** Why figures are unavailable, or undefined when they are available. */
  readonly unavailable: string | undefined;
  readonly samples: RssSample[] = [];
  private readonly pid: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private began = 0;
  private peak = 0;

  /** @param pid - the server's process id; undefined for an external target */
  constructor(pid: number | undefined) {
    this.pid = pid;
    if (pid === undefined) this.unavailable = 'external target: its process cannot be observed';
    else if (!procAvailable(pid)) this.unavailable = `/proc/${pid} is not readable (Linux only)`;
  }

  /** CPU and RSS now, or undefined when unavailable. */
  now(): ProcSnapshot | undefined {
    return this.unavailable === undefined ? snapshot(this.pid!) : undefined;
  }

  /** Starts sampling RSS every `intervalMs`. */
  begin(intervalMs: number): void {
    if (this.unavailable !== undefined) return;
    this.began = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Stops sampling. */
  end(): void {
    clearInterval(this.timer);
    if (this.unavailable === undefined) this.sample();
  }

  /** Usage between two snapshots taken `seconds` apart, with the peak RSS seen meanwhile. */
  usage(start: ProcSnapshot | undefined, end: ProcSnapshot | undefined, seconds: number): ServerUsage | undefined {
    if (!start || !end) return undefined;
    return {
      cpuPercent: ((end.cpuSeconds - start.cpuSeconds) / seconds) * 100,
      rssStartBytes: start.rssBytes,
      rssEndBytes: end.rssBytes,
      rssPeakBytes: Math.max(this.peak, start.rssBytes, end.rssBytes),
    };
  }

  private sample(): void {
    const { rssBytes } = snapshot(this.pid!);
    this.peak = Math.max(this.peak, rssBytes);
    this.samples.push({ atS: (performance.now() - this.began) / 1000, rssBytes });
  }
}
