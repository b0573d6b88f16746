/**
 * Load mode: every target in turn under identical load (same options, same request sequence),
 * then a short simultaneous-connections check, then the verdicts, the ratios to memcached, the
 * side-by-side table, and the JSON report and SVG chart.
 * @module
 */
import type { Codec } from '../client/codec.ts';
import { checkConnections, type ConnectionCheck } from './connection-check.ts';
import { runLoad, type LoadProgress, type LoadResult } from './load-run.ts';
import type { BenchOptions } from './options.ts';
import { ProgressBar } from './progress.ts';
import { contextLines, type RunContext, type TargetReport } from './report.ts';
import { writeResults } from './results.ts';
import { loadChart } from './svg-chart.ts';
import { formatCount, loadTable } from './table.ts';
import { withProtocol } from './target-protocol.ts';
import { resolveTarget, startTarget, type ServerArgs, type StartedTarget, type TargetSpec } from './targets.ts';
import { GENERATOR_BOUND_PERCENT } from './generator-usage.ts';
import { memcaslapUnavailable, runMemcaslap, type MemcaslapResult } from './memcaslap-run.ts';
import { medianPass, pairedRatio } from './rounds.ts';
import { judge, judgedP99, ratiosTo, type Ratios } from './verdicts.ts';

/**
 * Server settings for load mode. The connection check opens 1,000 connections on top of the
 * load's: memcached's default limit (-c 1024) and phase 1's (1024) leave too little room.
 */
function serverArgs(options: BenchOptions): ServerArgs {
  const limit = String(Math.max(4096, options.connections + options.checkConnections + 100));
  return {
    memcached: options.memcachedArgs.length ? options.memcachedArgs : ['-c', limit],
    phase: options.phaseArgs.length ? options.phaseArgs : ['--max-connections', limit],
  };
}

function describeProgress(name: string, p: LoadProgress): [string, number | undefined, string] {
  const fraction = p.totalS > 0 ? p.elapsedS / p.totalS : undefined;
  const rate = p.stage === 'measuring' && p.elapsedS > 0 ? `${formatCount(p.requests / p.elapsedS)} req/s` : '';
  return [`${name} ${p.stage}`, fraction, p.totalS > 0 ? `${p.elapsedS.toFixed(1)}/${p.totalS} s ${rate}` : ''];
}

/** Every pass the chosen drivers make against one started target, and its verdicts. */
async function measureTarget(name: string, command: string, target: StartedTarget, options: BenchOptions, codec: Codec, bar: ProgressBar): Promise<TargetReport> {
  const settings = { ...options, codec };
  let load: LoadResult | undefined;
  let latency: LoadResult | undefined;
  let check: ConnectionCheck | undefined;
  if (options.drivers.includes('kvlab')) {
    load = await runLoad(target, settings, (p) => bar.update(...describeProgress(name, p)));
    if (options.latencyRate > 0) {
      const label = `${name} at ${formatCount(options.latencyRate)} req/s`;
      latency = await runLoad(target, { ...settings, rate: options.latencyRate }, (p) => bar.update(...describeProgress(label, p)));
    }
  }
  let memcaslap: MemcaslapResult | undefined;
  let memcaslapUnavailableWhy: string | undefined;
  if (options.drivers.includes('memcaslap')) {
    memcaslapUnavailableWhy = memcaslapUnavailable(options);
    if (memcaslapUnavailableWhy === undefined) {
      bar.update(`${name} memcaslap`, undefined, `${options.durationS} s`);
      memcaslap = await runMemcaslap(target, { ...options, threads: options.generatorThreads });
    }
  }
  if (options.checkConnections > 0) {
    bar.update(`${name} checking ${options.checkConnections} connections`, undefined, '');
    check = await checkConnections(options.checkConnections, { host: target.host, port: target.port, codec, requestTimeoutMs: options.timeoutMs });
  }
  const crashed = !target.alive();
  return {
    name, command, load, latency, memcaslap, memcaslapUnavailable: memcaslapUnavailableWhy, connectionCheck: check, crashed,
    verdicts: load || memcaslap ? judge({ load, latency, memcaslap }, check, crashed) : undefined,
  };
}

/** One target's throughput passes over the rounds, per instrument. */
interface RoundPasses {
  readonly kvlab: LoadResult[];
  readonly memcaslap: MemcaslapResult[];
}

/**
 * `--rounds N`: every target is started first, then each round runs every target's throughput
 * passes in turn, so that the targets' passes alternate; afterwards each target gets its latency
 * pass and connection check, and is reported with its median round. Fills `reports` and `passes`
 * in the order of `specs`.
 */
async function measureInRounds(
  specs: readonly TargetSpec[], options: BenchOptions, codec: Codec, bar: ProgressBar, reports: TargetReport[], passes: RoundPasses[],
): Promise<{ failed: boolean }> {
  let failed = false;
  const started: (StartedTarget | undefined)[] = [];
  const fail = (i: number, error: unknown) => {
    failed = true;
    started[i] = undefined;
    reports[i] = { name: specs[i]!.name, command: reports[i]?.command, error: (error as Error).message.split('\n')[0] };
  };
  const memcaslapWhy = options.drivers.includes('memcaslap') ? memcaslapUnavailable(options) : undefined;
  const settings = { ...options, codec };
  try {
    for (const [i, spec] of specs.entries()) {
      passes[i] = { kvlab: [], memcaslap: [] };
      reports[i] = { name: spec.name, unavailable: spec.unavailable };
      if (spec.unavailable) continue;
      try {
        started[i] = await startTarget(spec, serverArgs(options));
        reports[i] = { name: spec.name, command: started[i].command };
      } catch (error) {
        fail(i, error);
      }
    }
    for (let round = 1; round <= options.rounds; round++) {
      for (const [i, spec] of specs.entries()) {
        const target = started[i];
        if (!target) continue;
        const label = `${spec.name} round ${round}/${options.rounds}`;
        try {
          if (options.drivers.includes('kvlab')) passes[i]!.kvlab.push(await runLoad(target, settings, (p) => bar.update(...describeProgress(label, p))));
          if (options.drivers.includes('memcaslap') && memcaslapWhy === undefined) {
            bar.update(`${label} memcaslap`, undefined, `${options.durationS} s`);
            passes[i]!.memcaslap.push(await runMemcaslap(target, { ...options, threads: options.generatorThreads }));
          }
        } catch (error) {
          fail(i, error);
        }
        bar.clear();
      }
    }
    for (const [i, spec] of specs.entries()) {
      const target = started[i];
      if (!target) continue;
      try {
        const { kvlab, memcaslap } = passes[i]!;
        let latency: LoadResult | undefined;
        if (options.drivers.includes('kvlab') && options.latencyRate > 0) {
          const label = `${spec.name} at ${formatCount(options.latencyRate)} req/s`;
          latency = await runLoad(target, { ...settings, rate: options.latencyRate }, (p) => bar.update(...describeProgress(label, p)));
        }
        let check: ConnectionCheck | undefined;
        if (options.checkConnections > 0) {
          bar.update(`${spec.name} checking ${options.checkConnections} connections`, undefined, '');
          check = await checkConnections(options.checkConnections, { host: target.host, port: target.port, codec, requestTimeoutMs: options.timeoutMs });
        }
        bar.clear();
        // The median round's figures, with the errors and losses of every round.
        const middle = medianPass(kvlab);
        const load = middle && {
          ...middle,
          errorReplies: kvlab.reduce((sum, pass) => sum + pass.errorReplies, 0),
          failures: kvlab.reduce<Record<string, number>>((all, pass) => {
            for (const [cause, count] of Object.entries(pass.failures)) all[cause] = (all[cause] ?? 0) + count;
            return all;
          }, {}),
        };
        const crashed = !target.alive();
        const memcaslapMiddle = medianPass(memcaslap);
        reports[i] = {
          name: spec.name, command: target.command, load, latency, memcaslap: memcaslapMiddle, memcaslapUnavailable: memcaslapWhy,
          rounds: { kvlab: kvlab.map((pass) => pass.throughput), memcaslap: memcaslap.map((pass) => pass.throughput) },
          connectionCheck: check, crashed, verdicts: load || memcaslapMiddle ? judge({ load, latency, memcaslap: memcaslapMiddle }, check, crashed) : undefined,
        };
      } catch (error) {
        fail(i, error);
      }
    }
  } finally {
    for (const target of started) await target?.stop();
  }
  return { failed };
}

/** The ratios with each throughput ratio replaced by the median of the rounds' ratios. */
function withRoundRatios(ratios: Ratios, mine: RoundPasses, theirs: RoundPasses): Ratios {
  const throughput = pairedRatio(mine.kvlab, theirs.kvlab);
  const memcaslapThroughput = ratios.withheld.some((why) => why.includes('missed') || why.includes('no get'))
    ? undefined
    : pairedRatio(mine.memcaslap, theirs.memcaslap);
  const withheld = ratios.withheld.filter((why) =>
    !(why.startsWith('throughput') && throughput !== undefined) && !(why.startsWith('memcaslap') && memcaslapThroughput !== undefined));
  if (throughput === undefined && mine.kvlab.length > 0 && !withheld.some((why) => why.startsWith('throughput'))) {
    withheld.push('throughput: a generator was saturated in every round');
  }
  return { ...ratios, throughput, memcaslapThroughput, withheld };
}

/** Runs load mode; returns the process exit status (1 when a target failed to run). */
export async function runLoadMode(options: BenchOptions, context: RunContext, codec: Codec): Promise<number> {
  const bar = new ProgressBar();
  const reports: TargetReport[] = [];
  const specs = await withProtocol(options.targets.map(resolveTarget), codec.name);
  const openLoop = options.rate > 0;
  const latencyPass = options.latencyRate > 0 ? `, then latency in an open loop at ${formatCount(options.latencyRate)} req/s` : '';
  console.log(
    `load: ${options.connections} connections × pipeline ${options.pipeline}, ${openLoop ? `open loop at ${formatCount(options.rate)} req/s` : 'closed loop'}, ` +
      `${Math.round(options.getRatio * 100)}% gets, ${options.valueSize}-byte values, ${formatCount(options.keys)} keys, ` +
      `${options.warmupS} s warm-up + ${options.durationS} s per pass${latencyPass}, protocol ${codec.name}, ` +
      `${options.rounds > 1 ? `${options.rounds} alternating rounds, ` : ''}driver ${options.drivers.join(' then ')} with ${options.generatorThreads} generator thread${options.generatorThreads === 1 ? '' : 's'}`,
  );
  let failed = false;
  const roundPasses: RoundPasses[] = [];
  if (options.rounds > 1) {
    ({ failed } = await measureInRounds(specs, options, codec, bar, reports, roundPasses));
  } else for (const spec of specs) {
    if (spec.unavailable) {
      reports.push({ name: spec.name, unavailable: spec.unavailable });
      continue;
    }
    let command: string | undefined;
    try {
      const target = await startTarget(spec, serverArgs(options));
      command = target.command;
      try {
        reports.push(await measureTarget(spec.name, command, target, options, codec, bar));
      } finally {
        await target.stop();
      }
    } catch (error) {
      failed = true;
      reports.push({ name: spec.name, command, error: (error as Error).message.split('\n')[0] });
    }
    bar.clear();
  }

  // Ratios are to the first memcached in the run (usually the only one).
  const reference = specs.find((spec) => spec.kind === 'memcached')?.name;
  const passes = (r: TargetReport | undefined) => (r?.load || r?.memcaslap ? { load: r.load, latency: r.latency, memcaslap: r.memcaslap } : undefined);
  const memcached = passes(reports.find((r) => r.name === reference));
  const referenceIndex = reports.findIndex((r) => r.name === reference);
  const withRatios = reports.map((r, i) => {
    if (!(r.load || r.memcaslap) || i === referenceIndex) return r;
    const ratios = ratiosTo(passes(r)!, memcached);
    // With rounds, a throughput ratio is the median of the rounds' own ratios.
    return { ...r, ratios: ratios && roundPasses[i] && roundPasses[referenceIndex] ? withRoundRatios(ratios, roundPasses[i], roundPasses[referenceIndex]) : ratios };
  });
  console.log(`\n${loadTable(withRatios, options.rate || options.latencyRate)}`);
  if (options.rate || options.latencyRate) {
    console.log('open-loop latency counts from each request\'s scheduled send time (coordinated omission corrected; see docs/benchmarks.md).');
  }
  const measured = withRatios.filter((r) => r.load);
  for (const r of withRatios) for (const why of r.ratios?.withheld ?? []) console.log(`${r.name}: ratio withheld — ${why}`);
  const generatorBound = withRatios.some((r) => r.load?.generator.bound || r.latency?.generator.bound || r.memcaslap?.generator.bound);
  if (generatorBound) {
    console.log(`GENERATOR-BOUND: a generator thread reached ${GENERATOR_BOUND_PERCENT} % of a core; those figures are the generator's, not the server's (see docs/benchmarks.md).`);
  }
  const svg = measured.length
    ? loadChart(measured.map((r) => ({ name: r.name, throughput: r.load!.throughput, p99Ms: judgedP99(r.load!, r.latency) })), `${contextLines(context).join(' · ')}`)
    : undefined;
  const paths = writeResults(options.out, 'load', context.startedAt, { kind: 'kvlab-bench', mode: 'load', context, options, generatorBound, targets: withRatios }, svg);
  console.log(`\nreport: ${paths.json}`);
  if (paths.svg) console.log(`chart:  ${paths.svg}`);
  return failed ? 1 : 0;
}
