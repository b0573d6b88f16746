/**
 * Whether a run measured the server or the load generator. A generator thread that keeps a core
 * ~90 % busy is the bottleneck: the server could have answered faster than it was asked, so the
 * run's throughput is the generator's, and no ratio to memcached may be drawn from it. This holds
 * for the bench's own threads and for an external driver's (memcaslap's threads, from /proc).
 * @module
 */

/**
 * A thread this busy is saturated. Not 100 %: a thread that is the bottleneck still waits a little
 * on the kernel and the scheduler between reads, and on a shared machine it loses a few percent to
 * other processes; measured here, the old single-threaded generator sat at 93–99 % while it was
 * the limit.
 */
export const GENERATOR_BOUND_PERCENT = 90;

/** What the load generator itself used during a run's window. */
export interface GeneratorUsage {
  /** `kvlab` (the bench's own generator) or `memcaslap`. */
  readonly instrument: string;
  /** Each generator thread's (or process thread's) CPU over the window, in percent of one core; undefined where it cannot be read. */
  readonly threadCpuPercent: readonly (number | undefined)[];
  /** Every thread together, in percent of one core. */
  readonly totalCpuPercent: number;
  /** True when any thread reached {@link GENERATOR_BOUND_PERCENT}: the figures are the generator's, not the server's. */
  readonly bound: boolean;
}

/** Usage from the threads' CPU percentages. */
export function generatorUsage(instrument: string, threadCpuPercent: readonly (number | undefined)[], totalCpuPercent: number): GeneratorUsage {
  const bound = threadCpuPercent.some((percent) => percent !== undefined && percent >= GENERATOR_BOUND_PERCENT);
  return { instrument, threadCpuPercent, totalCpuPercent, bound };
}

/** `kvlab 2 threads: 61 % + 58 %` with `, GENERATOR-BOUND` when saturated. */
export function describeGenerator(usage: GeneratorUsage): string {
  const each = usage.threadCpuPercent.map((percent) => (percent === undefined ? '?' : `${Math.round(percent)} %`)).join(' + ');
  return `${each}${usage.bound ? ' BOUND' : ''}`;
}
