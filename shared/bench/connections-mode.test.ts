/**
 * Connections mode across processes, at a small scale: two server processes of a phase, two
 * client processes, 200 connections each, every one answering — spread evenly over the servers
 * and over two source addresses, the client processes binding source ports of their own; the
 * same with the kernel choosing the ports. And the memory floor: a run that starts below it opens nothing
 * and says that memory stopped it. Counts are asserted; the measurements are only printed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stopReason, type ConnectionsReport } from './connections-mode.ts';
import { MemoryWatch } from './memory-watch.ts';
import { parseBenchOptions } from './options.ts';
import { runBenchCli } from './run-bench-cli.ts';

/** Runs connections mode with `args`; killed if it outlives `limitMs`. Resolves with its exit code, output and report. */
async function run(args: string[], limitMs: number): Promise<{ code: number | null; output: string; targets: ConnectionsReport[] }> {
  const out = mkdtempSync(join(tmpdir(), 'kvlab-connections-'));
  try {
    const { code, output } = await runBenchCli(['--mode', 'connections', ...args, '--out', out], limitMs);
    const reports = readdirSync(out).filter((name) => name.endsWith('.json'));
    const targets = reports.length === 1 ? (JSON.parse(readFileSync(join(out, reports[0]!), 'utf8')) as { targets: ConnectionsReport[] }).targets : [];
    return { code, output, targets };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('2 server processes × 2 client processes × 200 connections: all answer, half on each server', { timeout: 90_000 }, async () => {
  const { code, output, targets } = await run([
    '--targets', 'phase2,bare', '--connections', '400', '--server-processes', '2', '--per-process', '200', '--source-addresses', '2',
  ], 80_000);
  console.log(output);
  assert.equal(code, 0, output);
  for (const name of ['phase2', 'bare']) {
    const report = targets.find((target) => target.name === name);
    assert.ok(report, `a report for ${name}`);
    assert.equal(report.serverProcesses, 2);
    assert.equal(report.processes, 2);
    assert.equal(report.answered, 400, `${name}: ${report.stoppedBy ?? ''}`);
    assert.deepEqual(report.answeredPerServer, [200, 200]);
    assert.equal(report.stoppedBy, undefined);
    assert.equal(report.sourcePorts, 'assigned');
    assert.equal(typeof report.rssPerConnectionBytes, 'number');
  }
});

test('--source-ports kernel: the old way still opens them all, each answering; --settle-s samples RSS again', { timeout: 60_000 }, async () => {
  const { code, output, targets } = await run([
    '--targets', 'phase2', '--connections', '200', '--per-process', '100', '--source-addresses', '2', '--source-ports', 'kernel', '--settle-s', '1',
  ], 50_000);
  assert.equal(code, 0, output);
  const [phase2] = targets;
  assert.ok(phase2);
  assert.equal(phase2.sourcePorts, 'kernel');
  assert.equal(phase2.answered, 200, phase2.stoppedBy);
  assert.deepEqual(phase2.retriedPairs, {});
  assert.equal(typeof phase2.rssPerConnectionSettledBytes, 'number', 'sampled again after --settle-s');
});

test('under the memory floor no connection is opened, and memory is named as what stopped the run', { timeout: 60_000 }, async () => {
  // A floor of 1 TiB: no machine this runs on has that much available.
  const { code, output, targets } = await run(['--targets', 'bare', '--connections', '300', '--min-free-mb', String(1024 * 1024)], 50_000);
  assert.equal(code, 0, output);
  const [bare] = targets;
  assert.ok(bare);
  assert.equal(bare.answered, 0);
  assert.equal(bare.pass, false);
  assert.match(bare.stoppedBy ?? '', /^memory: /);
});

test('a run that used its --open-limit-s says that time stopped it, before the failures', () => {
  const options = parseBenchOptions(['--mode', 'connections', '--open-limit-s', '5']);
  assert.equal(parseBenchOptions(['--mode', 'connections']).openLimitS, 600, 'bounded by default');
  assert.equal(parseBenchOptions(['--mode', 'connections', '--connections', '400000']).connections, 400_000, 'past 200,000 with more processes');
  const memory = new MemoryWatch(0, () => {});
  memory.stop();
  const reason = stopReason({ CONNECT_FAILED: 3 }, true, memory, options, true);
  assert.match(reason, /^time: opening took the whole --open-limit-s 5 .*; 3 × CONNECT_FAILED: connects timed out/);
  assert.doesNotMatch(stopReason({}, true, memory, options, false), /time/);
});
