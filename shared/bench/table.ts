/**
 * Plain-text tables for the terminal: one column per target, one row per figure, so targets read
 * side by side. Ratios to memcached sit beside the figures they compare.
 * @module
 */
import { describeGenerator } from './generator-usage.ts';
import type { TargetReport } from './report.ts';
import { MAX_P99_MS, MIN_CONNECTIONS, MIN_THROUGHPUT, failureTotal, type Verdict } from './verdicts.ts';

/** Left-aligns the first column and right-aligns the others, two spaces apart. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** 12,345 */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 12.3 MiB */
export function formatBytes(bytes: number): string {
  const MIB = 1024 * 1024;
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

const ms = (value: number) => value.toFixed(3);
/** `31.2K / 29.8K / 33.0K`: the throughput of each round, in thousands. */
const eachRound = (rates: readonly number[] | undefined) => (rates?.length ? rates.map((rate) => `${(rate / 1000).toFixed(1)}K`).join(' / ') : '-');
/** CPU microseconds spent per request, from a CPU share (percent of one core) and a rate: what an instrument costs. */
const microsPerRequest = (cpuPercent: number, perSecond: number) => (perSecond > 0 ? ((cpuPercent / 100) * 1e6 / perSecond).toFixed(1) : '-');
const percent = (value: number) => `${Math.round(value)} %`;
/** `PASS [memcaslap]`, `FAIL [kvlab]`, `withheld`: a verdict and the instrument it rests on. */
const verdict = (v: Verdict | undefined) =>
  v === undefined ? '-' : v.pass === null ? 'withheld' : `${v.pass ? 'PASS' : 'FAIL'}${v.source === 'check' ? '' : ` [${v.source}]`}`;

/**
 * The side-by-side table of a load run. `openLoopRate` is the rate of the open-loop pass whose
 * latency the verdict uses (the --rate of an open-loop run, or the --latency-rate pass), 0 if none.
 * Every row names the instrument that produced it: `[kvlab]` (the bench's own generator) or
 * `[memcaslap]`; a ratio withheld because a generator was saturated reads `(bound)`, one withheld
 * for another reason (memcaslap's sets refused) `(withheld)`; the reasons are printed below the table.
 * With `--rounds`, a row lists each round's throughput; the ratios are the median of the rounds'.
 */
export function loadTable(reports: readonly TargetReport[], openLoopRate: number): string {
  const measured = reports.filter((report) => report.load || report.memcaslap || report.memcaslapUnavailable);
  const skipped = reports.filter((report) => !measured.includes(report));
  const cell = (pick: (report: TargetReport) => string) => measured.map(pick);
  const ratio = (value: number | undefined, why: string | undefined) =>
    value !== undefined && Number.isFinite(value) ? ` (${value.toFixed(2)}×)` : why === undefined ? '' : / saturated /.test(why) ? ' (bound)' : ' (withheld)';
  const withheld = (r: TargetReport, what: string) => (r.ratios?.withheld ?? []).find((why) => why.startsWith(what));
  const rows: string[][] = [];
  if (measured.some((r) => r.load)) {
    const K = ' [kvlab]';
    const on = (pick: (r: TargetReport) => string) => cell((r) => (r.load ? pick(r) : 'n/a'));
    /** The pass whose latency is judged: the latency pass when there is one. */
    const judged = (r: TargetReport) => (r.latency ?? r.load)!;
    const at = openLoopRate > 0 ? ` @ ${formatCount(openLoopRate)}/s` : '';
    rows.push(
      [`throughput (req/s)${K}`, ...on((r) => formatCount(r.load!.throughput) + ratio(r.ratios?.throughput, withheld(r, 'throughput')))],
      ...(measured.some((r) => r.rounds) ? [[`each round (req/s)${K}`, ...on((r) => eachRound(r.rounds?.kvlab))]] : []),
      [`latency p50${at} (ms)${K}`, ...on((r) => ms(judged(r).latency.p50))],
      [`latency p90${at} (ms)${K}`, ...on((r) => ms(judged(r).latency.p90))],
      [`latency p99${at} (ms)${K}`, ...on((r) => ms(judged(r).latency.p99) + ratio(r.ratios?.p99, withheld(r, 'p99')))],
      [`latency p99.9${at} (ms)${K}`, ...on((r) => ms(judged(r).latency.p999))],
      [`latency max${at} (ms)${K}`, ...on((r) => ms(judged(r).latency.max))],
    );
    if (openLoopRate > 0) rows.push([`p99 from actual send${at} (ms)${K}`, ...on((r) => ms(judged(r).service.p99))]);
    if (measured.some((r) => r.latency)) rows.push([`p99 at full throughput (ms)${K}`, ...on((r) => ms(r.load!.latency.p99))]);
    const lost = (r: TargetReport) => failureTotal(r.load!) + (r.latency ? failureTotal(r.latency) : 0);
    const errorReplies = (r: TargetReport) => r.load!.errorReplies + (r.latency?.errorReplies ?? 0);
    rows.push(
      [`error replies / lost${K}`, ...on((r) => `${errorReplies(r)} / ${lost(r)}`)],
      [`get hit rate${K}`, ...on((r) => percent(r.load!.hitRate * 100))],
      [`server CPU${K}`, ...on((r) => (r.load!.server ? percent(r.load!.server.cpuPercent) : 'n/a'))],
      [`server RSS peak${K}`, ...on((r) => (r.load!.server ? formatBytes(Math.max(r.load!.server.rssPeakBytes, r.latency?.server?.rssPeakBytes ?? 0)) : 'n/a'))],
      [`generator CPU per thread${K}`, ...on((r) => describeGenerator(r.load!.generator))],
      [`generator CPU per request (µs)${K}`, ...on((r) => microsPerRequest(r.load!.generator.totalCpuPercent, r.load!.throughput))],
      [`generator-bound${K}`, ...on((r) => (r.load!.generator.bound || r.latency?.generator.bound ? 'YES' : 'no'))],
    );
  }
  if (measured.some((r) => r.memcaslap || r.memcaslapUnavailable)) {
    const M = ' [memcaslap]';
    const on = (pick: (r: TargetReport) => string) => cell((r) => (r.memcaslap ? pick(r) : 'n/a'));
    rows.push(
      [`throughput (req/s)${M}`, ...on((r) => formatCount(r.memcaslap!.throughput) + ratio(r.ratios?.memcaslapThroughput, withheld(r, 'memcaslap')))],
      ...(measured.some((r) => r.rounds) ? [[`each round (req/s)${M}`, ...on((r) => eachRound(r.rounds?.memcaslap))]] : []),
      [`error lines${M}`, ...on((r) => String(r.memcaslap!.errorLines))],
      [`get hit rate${M}`, ...on((r) => percent(r.memcaslap!.hitRate * 100))],
      [`server CPU${M}`, ...on((r) => (r.memcaslap!.server ? percent(r.memcaslap!.server.cpuPercent) : 'n/a'))],
      [`generator CPU per thread${M}`, ...on((r) => describeGenerator(r.memcaslap!.generator))],
      [`generator CPU per request (µs)${M}`, ...on((r) => microsPerRequest(r.memcaslap!.generator.totalCpuPercent, r.memcaslap!.throughput))],
      [`generator-bound${M}`, ...on((r) => (r.memcaslap!.generator.bound ? 'YES' : 'no'))],
    );
  }
  if (measured.some((r) => r.verdicts)) {
    const on = (pick: (r: TargetReport) => string) => cell((r) => (r.verdicts ? pick(r) : '-'));
    const at = openLoopRate > 0 ? ` @ ${formatCount(openLoopRate)}/s` : '';
    rows.push(
      ['connections answered', ...cell((r) => (r.connectionCheck ? `${r.connectionCheck.answered}/${r.connectionCheck.attempted}` : '-'))],
      [`≥ ${formatCount(MIN_THROUGHPUT)} req/s`, ...on((r) => verdict(r.verdicts?.throughput))],
      [`p99 < ${MAX_P99_MS} ms${at}`, ...on((r) => verdict(r.verdicts?.p99))],
      [`≥ ${formatCount(MIN_CONNECTIONS)} connections`, ...on((r) => verdict(r.verdicts?.connections))],
      ['0 errors, no crash', ...on((r) => verdict(r.verdicts?.noErrors))],
    );
  }
  const lines = measured.length > 0 ? [formatTable(['', ...measured.map((r) => r.name)], rows)] : [];
  for (const report of measured) if (report.memcaslapUnavailable) lines.push(`${report.name}: memcaslap not run — ${report.memcaslapUnavailable}`);
  for (const report of skipped) lines.push(`${report.name}: not available — ${report.unavailable ?? report.error ?? 'unknown reason'}`);
  return lines.join('\n');
}
