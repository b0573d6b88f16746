/**
 * The success metrics every server is judged by, and the ratio of each target to real memcached.
 * The thresholds are KV Lab's stated goals for a simple-operation workload on one machine.
 * @module
 */
import type { ConnectionCheck } from './connection-check.ts';
import type { GeneratorUsage } from './generator-usage.ts';
import type { LoadResult } from './load-run.ts';
import type { MemcaslapResult } from './memcaslap-run.ts';

/** At least this many requests per second. */
export const MIN_THROUGHPUT = 10_000;
/** The 99th percentile latency must stay under this many milliseconds. */
export const MAX_P99_MS = 1;
/** At least this many connections open at once, every one answering. */
export const MIN_CONNECTIONS = 1000;

/** Which instrument a verdict rests on: a load generator, or the simultaneous-connections check. */
export type VerdictSource = 'kvlab' | 'memcaslap' | 'check';

/** One metric's outcome. */
export interface Verdict {
  /** Met or not; null when withheld: the only instrument that measured it was saturated, so it claims nothing. */
  readonly pass: boolean | null;
  /** What was measured against what was required, in words. */
  readonly detail: string;
  /** The instrument the verdict rests on. */
  readonly source: VerdictSource;
}

/** Every metric's outcome for one target. */
export interface Verdicts {
  readonly throughput: Verdict;
  readonly p99: Verdict;
  readonly connections: Verdict;
  /** No error replies, no lost requests, no crash. */
  readonly noErrors: Verdict;
}

/**
 * A target's figures over memcached's in the same run, per instrument. A ratio is drawn only when
 * neither side's generator was saturated (see generator-usage.ts); otherwise it is withheld, with why.
 */
export interface Ratios {
  /** Throughput / memcached's throughput (higher is better), the bench's own generator. */
  readonly throughput?: number;
  /** p99 / memcached's p99 (lower is better). */
  readonly p99?: number;
  /** Throughput / memcached's throughput, both driven by memcaslap. */
  readonly memcaslapThroughput?: number;
  /** The ratios left out, each with its reason. */
  readonly withheld: readonly string[];
}

/** Requests lost: failures of every kind. */
export function failureTotal(load: LoadResult): number {
  return Object.values(load.failures).reduce((sum, count) => sum + count, 0);
}

/**
 * Judges one target's run. Throughput rests on the neutral driver when it ran (memcaslap, a tool
 * nobody here wrote) and measured serving — none of its threads saturated, its gets hitting — and
 * on the bench's own generator otherwise; p99 on the latency pass (latency at the goal rate, not
 * at saturation), which only the bench's generator can time. A verdict whose instrument was
 * saturated is withheld (`pass: null`): the figure is the generator's, not the server's. Errors
 * count every pass and the connections check.
 */
export function judge(passes: Passes, check: ConnectionCheck | undefined, crashed: boolean): Verdicts {
  const { load, latency: latencyPass, memcaslap } = passes;
  const count = (n: number) => Math.round(n).toLocaleString('en-US');
  const goal = `needs ≥ ${count(MIN_THROUGHPUT)}`;
  const neutral = memcaslap && !memcaslap.generator.bound && memcaslap.hitRate >= MIN_MEMCASLAP_HIT_RATE ? memcaslap : undefined;
  let throughput: Verdict;
  if (neutral) {
    throughput = { pass: neutral.throughput >= MIN_THROUGHPUT, detail: `${count(neutral.throughput)} req/s by memcaslap (${goal})`, source: 'memcaslap' };
  } else if (load && !load.generator.bound) {
    throughput = { pass: load.throughput >= MIN_THROUGHPUT, detail: `${count(load.throughput)} req/s (${goal})`, source: 'kvlab' };
  } else {
    const why = memcaslap && !memcaslap.generator.bound ? memcaslapRefusals(memcaslap) : 'every generator that measured it saturated a core';
    throughput = { pass: null, detail: `withheld: ${why}`, source: memcaslap ? 'memcaslap' : 'kvlab' };
  }
  const judged = latencyPass ?? load;
  const p99: Verdict = !judged
    ? { pass: null, detail: 'withheld: only the bench\'s own generator times requests, and it did not run', source: 'kvlab' }
    : judged.generator.bound
      ? { pass: null, detail: `withheld: the generator saturated a core in the latency pass (p99 ${judged.latency.p99.toFixed(3)} ms is its own)`, source: 'kvlab' }
      : { pass: judged.latency.p99 < MAX_P99_MS, detail: `p99 ${judged.latency.p99.toFixed(3)} ms (needs < ${MAX_P99_MS} ms)`, source: 'kvlab' };
  const errorReplies = (load?.errorReplies ?? 0) + (latencyPass?.errorReplies ?? 0);
  const lost = (load ? failureTotal(load) : 0) + (latencyPass ? failureTotal(latencyPass) : 0);
  const checkErrors = check ? check.attempted - check.answered : 0;
  const memcaslapErrors = memcaslap?.errorLines ?? 0;
  const errors = errorReplies + lost + checkErrors + memcaslapErrors;
  return {
    throughput,
    p99,
    connections: check
      ? { pass: check.answered >= MIN_CONNECTIONS, detail: `${check.answered} of ${check.attempted} connections answered (needs ≥ ${MIN_CONNECTIONS})`, source: 'check' }
      : { pass: false, detail: 'not checked (--check-connections 0)', source: 'check' },
    noErrors: {
      pass: errors === 0 && !crashed,
      detail: crashed
        ? 'the server exited during the run'
        : `${errorReplies} error replies, ${lost} lost requests, ${checkErrors} failed connections${memcaslap ? `, ${memcaslapErrors} memcaslap error lines` : ''}`,
      source: memcaslap && !load ? 'memcaslap' : 'kvlab',
    },
  };
}

/** The p99 a verdict is based on: the latency pass's when there is one. */
export function judgedP99(load: LoadResult, latencyPass: LoadResult | undefined): number {
  return (latencyPass ?? load).latency.p99;
}

/** The ratios to memcached (same passes on both sides), or undefined when memcached was not measured. */
export function ratiosTo(target: Passes, memcached: Passes | undefined): Ratios | undefined {
  if (!memcached) return undefined;
  const withheld: string[] = [];
  const boundSide = (mine: GeneratorUsage | undefined, theirs: GeneratorUsage | undefined) =>
    mine?.bound ? 'this target\'s run' : theirs?.bound ? 'memcached\'s run' : undefined;
  let throughput: number | undefined;
  let p99: number | undefined;
  if (target.load && memcached.load) {
    const bound = boundSide(target.load.generator, memcached.load.generator);
    if (bound) withheld.push(`throughput: the kvlab generator was saturated in ${bound}`);
    else throughput = target.load.throughput / memcached.load.throughput;
    const judged = target.latency ?? target.load;
    const theirs = memcached.latency ?? memcached.load;
    const latencyBound = boundSide(judged.generator, theirs.generator);
    if (latencyBound) withheld.push(`p99: the kvlab generator was saturated in ${latencyBound}`);
    else p99 = judged.latency.p99 / theirs.latency.p99;
  }
  let memcaslapThroughput: number | undefined;
  if (target.memcaslap && memcached.memcaslap) {
    const bound = boundSide(target.memcaslap.generator, memcached.memcaslap.generator);
    const refused = [target.memcaslap, memcached.memcaslap].find((run) => run.hitRate < MIN_MEMCASLAP_HIT_RATE);
    if (bound) withheld.push(`memcaslap throughput: memcaslap was saturated in ${bound}`);
    else if (refused) withheld.push(`memcaslap throughput: ${memcaslapRefusals(refused)}`);
    else memcaslapThroughput = target.memcaslap.throughput / memcached.memcaslap.throughput;
  }
  return { throughput, p99, memcaslapThroughput, withheld };
}

/**
 * memcaslap only gets keys it has set before, and prints nothing when a server refuses its
 * requests: a get that misses means a set was refused (or evicted), so a run with misses counted
 * error replies as throughput.
 */
export const MIN_MEMCASLAP_HIT_RATE = 0.99;

/** Why a memcaslap run does not measure serving: the share of its gets that missed. */
export function memcaslapRefusals(run: MemcaslapResult): string {
  if (run.gets === 0) return 'memcaslap sent no get, so nothing shows whether its sets were stored';
  return `${((1 - run.hitRate) * 100).toFixed(1)} % of memcaslap's gets missed, so its sets were refused or evicted and its throughput counts error replies`;
}

/** A target's passes: the bench's throughput and latency passes, and memcaslap's. */
export interface Passes {
  readonly load: LoadResult | undefined;
  readonly latency: LoadResult | undefined;
  readonly memcaslap?: MemcaslapResult | undefined;
}
