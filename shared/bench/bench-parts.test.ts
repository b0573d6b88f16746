// The bench's pure parts: workload, verdicts, tables, chart, option echo and /proc readings.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryCodec } from '../client/binary-codec.ts';
import { ReplyShape } from '../client/reply.ts';
import { Extras, Header, HEADER_LENGTH, Opcode } from '../protocol/binary/constants.ts';
import type { LoadResult } from './load-run.ts';
import { GENERATOR_BOUND_PERCENT, generatorUsage } from './generator-usage.ts';
import { LoadRecorder } from './latency-recorder.ts';
import { memcaslapArgs, memcaslapConfig, memcaslapUnavailable, parseMemcaslapSummary, type MemcaslapResult } from './memcaslap-run.ts';
import { ReplyOutcome } from './reply-counter.ts';
import { median, medianPass, pairedRatio } from './rounds.ts';
import { commandLine } from './options.ts';
import { procAvailable, snapshot, threadCpuSeconds, threadsCpuSeconds } from './proc-stats.ts';
import { loadChart } from './svg-chart.ts';
import { formatBytes, formatTable, loadTable } from './table.ts';
import { protocolUnavailable, withProtocol } from './target-protocol.ts';
import { isLoopback, resolveTarget, TargetError } from './targets.ts';
import { judge, ratiosTo } from './verdicts.ts';
import { RequestTable, Xorshift32, keyName } from './workload.ts';

const latency = { p50: 0.2, p90: 0.4, p99: 0.8, p999: 1.5, max: 3, mean: 0.25 };
function loadResult(throughput: number, p99: number, errorReplies = 0, generatorCpu = 50): LoadResult {
  return {
    seconds: 1, requests: throughput, throughput, errorReplies, failures: {}, hitRate: 1,
    latency: { ...latency, p99 }, service: latency, clientCpuPercent: generatorCpu, generator: generatorUsage('kvlab', [generatorCpu], generatorCpu),
    server: undefined, serverUnavailable: 'external target',
  };
}
function memcaslapResult(throughput: number, threadCpu: number, hitRate = 1): MemcaslapResult {
  return {
    instrument: 'memcaslap', command: 'memcaslap', seconds: 1, requests: throughput, throughput, gets: 9, sets: 1, getMisses: 0, hitRate,
    errorLines: 0, errorSample: undefined, generator: generatorUsage('memcaslap', [threadCpu], threadCpu), server: undefined,
  };
}
const check = { attempted: 1000, opened: 1000, answered: 1000, failures: {}, elapsedMs: 100 };

describe('bench parts', { timeout: 10_000 }, () => {
  test('the workload is built once, deterministic, and bounded', () => {
    const table = new RequestTable({ keys: 3, valueSize: 4, getRatio: 0.5 });
    assert.equal(table.gets[2]!.toString(), `get ${keyName(2)}\r\n`);
    assert.equal(table.sets[0]!.toString(), `set ${keyName(0)} 0 0 4\r\nvvvv\r\n`);
    assert.equal(table.getShape, ReplyShape.Values);
    const binary = new RequestTable({ keys: 3, valueSize: 4, getRatio: 0.5 }, binaryCodec);
    const get = binary.gets[1]!;
    assert.deepEqual([get[Header.OPCODE], get.subarray(HEADER_LENGTH).toString()], [Opcode.GetK, keyName(1)]);
    const set = binary.sets[2]!;
    assert.deepEqual([set[Header.OPCODE], set.subarray(HEADER_LENGTH + Extras.STORE).toString()], [Opcode.Set, `${keyName(2)}vvvv`]);
    const opaques = [...binary.gets, ...binary.sets].map((bytes) => binaryCodec.tagOf(bytes));
    assert.equal(new Set(opaques).size, 6, 'every prebuilt request has its own opaque');
    assert.throws(() => new RequestTable({ keys: 10_000_000, valueSize: 1024 * 1024, getRatio: 1 }), RangeError);
    const a = new Xorshift32(7);
    const b = new Xorshift32(7);
    const draws = Array.from({ length: 1000 }, () => a.below(10));
    assert.deepEqual(draws, Array.from({ length: 1000 }, () => b.below(10)));
    assert.ok(draws.every((d) => d >= 0 && d < 10) && new Set(draws).size === 10);
  });

  test('the recorder counts only while measuring and reports percentiles in ms', () => {
    const recorder = new LoadRecorder();
    recorder.record(ReplyOutcome.Ok, 5, 5);
    assert.equal(recorder.completed, 0);
    recorder.measuring = true;
    for (let i = 1; i <= 100; i++) recorder.record(ReplyOutcome.Miss, i / 10, i / 20);
    recorder.record(ReplyOutcome.Error, 0.1, 0.1);
    recorder.fail('TIMEOUT');
    assert.equal(recorder.completed, 101);
    assert.equal(recorder.errorReplies, 1);
    assert.equal(recorder.misses, 100);
    assert.equal(recorder.failureCount, 1);
    assert.ok(Math.abs(recorder.latencySummary().p99 - 9.9) < 0.05);
    assert.ok(recorder.serviceSummary().max < recorder.latencySummary().max);
    // Another thread's record, merged as the coordinator merges them.
    const other = new LoadRecorder();
    other.measuring = true;
    for (let i = 0; i < 100; i++) other.record(ReplyOutcome.Hit, 20, 20);
    other.fail('TIMEOUT', 2);
    recorder.absorb(other.exported());
    assert.deepEqual([recorder.completed, recorder.hits, recorder.misses, recorder.failureCount], [201, 100, 100, 3]);
    assert.ok(Math.abs(recorder.latencySummary().p99 - 20) < 0.05, 'the merged histogram holds both threads');
  });

  test('verdicts judge each metric and ratios compare with memcached', () => {
    const good = judge({ load: loadResult(20_000, 5), latency: loadResult(10_000, 0.5) }, check, false);
    assert.deepEqual([good.throughput.pass, good.p99.pass, good.connections.pass, good.noErrors.pass], [true, true, true, true]);
    assert.equal(good.throughput.source, 'kvlab');
    const bad = judge({ load: loadResult(9_999, 1, 2), latency: undefined }, { ...check, answered: 999 }, true);
    assert.deepEqual([bad.throughput.pass, bad.p99.pass, bad.connections.pass, bad.noErrors.pass], [false, false, false, false]);
    assert.match(bad.noErrors.detail, /exited/);
    assert.deepEqual(
      ratiosTo({ load: loadResult(20_000, 9), latency: loadResult(10_000, 0.5) }, { load: loadResult(40_000, 9), latency: loadResult(10_000, 0.25) }),
      { throughput: 0.5, p99: 2, memcaslapThroughput: undefined, withheld: [] },
    );
    assert.equal(ratiosTo({ load: loadResult(1, 1), latency: undefined }, undefined), undefined);
  });

  test('a verdict rests on the neutral driver when it measured serving, and is withheld from a saturated generator', () => {
    // memcaslap below the goal while the bench's own generator saw it met: memcaslap decides.
    const neutral = judge({ load: loadResult(20_000, 0.5), latency: undefined, memcaslap: memcaslapResult(9_000, 60) }, check, false);
    assert.deepEqual([neutral.throughput.pass, neutral.throughput.source], [false, 'memcaslap']);
    assert.match(neutral.throughput.detail, /9,000 req\/s by memcaslap/);
    // memcaslap saturated: the bench's own generator, not saturated, decides.
    const fallback = judge({ load: loadResult(20_000, 0.5), latency: undefined, memcaslap: memcaslapResult(9_000, 95) }, check, false);
    assert.deepEqual([fallback.throughput.pass, fallback.throughput.source], [true, 'kvlab']);
    // Both saturated, and the latency pass too: nothing is claimed.
    const bound = judge({ load: loadResult(20_000, 0.5, 0, 95), latency: undefined, memcaslap: memcaslapResult(9_000, 95) }, check, false);
    assert.deepEqual([bound.throughput.pass, bound.p99.pass], [null, null]);
    assert.match(bound.throughput.detail, /withheld: every generator that measured it saturated a core/);
    // memcaslap's sets refused (its gets miss): its rate is not the server's serving rate.
    const refusedSets = judge({ load: undefined, latency: undefined, memcaslap: memcaslapResult(90_000, 60, 0) }, check, false);
    assert.equal(refusedSets.throughput.pass, null);
    assert.match(refusedSets.throughput.detail, /gets missed/);
    assert.equal(refusedSets.p99.pass, null, 'memcaslap times nothing the p99 goal can use');
    const errors = judge({ load: undefined, latency: undefined, memcaslap: { ...memcaslapResult(20_000, 60), errorLines: 3 } }, check, false);
    assert.equal(errors.noErrors.pass, false);
    assert.match(errors.noErrors.detail, /3 memcaslap error lines/);
    const table = loadTable([{ name: 'phase2', memcaslap: memcaslapResult(9_000, 60), verdicts: neutral }, { name: 'phase9', load: loadResult(20_000, 0.5, 0, 95), verdicts: bound }], 0);
    assert.match(table, /≥ 10,000 req\/s\s+FAIL \[memcaslap\]\s+withheld/);
  });

  test('no ratio is drawn from a run whose generator saturated a core', () => {
    assert.equal(generatorUsage('kvlab', [89.9, 12], 102).bound, false);
    assert.equal(generatorUsage('kvlab', [30, GENERATOR_BOUND_PERCENT], 120).bound, true);
    assert.equal(generatorUsage('memcaslap', [undefined], 0).bound, false, 'unknown CPU is not a saturated core');
    const fast = { load: loadResult(40_000, 9, 0, 95), latency: loadResult(10_000, 0.25) };
    const ratios = ratiosTo({ load: loadResult(20_000, 9), latency: loadResult(10_000, 0.5) }, fast)!;
    assert.equal(ratios.throughput, undefined);
    assert.equal(ratios.p99, 2, 'the latency pass was not bound, so its ratio stands');
    assert.match(ratios.withheld.join(), /throughput: the kvlab generator was saturated in memcached's run/);
    const byMemcaslap = ratiosTo(
      { load: undefined, latency: undefined, memcaslap: memcaslapResult(30_000, 60) },
      { load: undefined, latency: undefined, memcaslap: memcaslapResult(60_000, 70) },
    )!;
    assert.equal(byMemcaslap.memcaslapThroughput, 0.5);
    const refused = ratiosTo(
      { load: undefined, latency: undefined, memcaslap: memcaslapResult(90_000, 60, 0) },
      { load: undefined, latency: undefined, memcaslap: memcaslapResult(60_000, 70) },
    )!;
    assert.equal(refused.memcaslapThroughput, undefined);
    assert.match(refused.withheld.join(), /100\.0 % of memcaslap's gets missed/);
    const noGets = ratiosTo(
      { load: undefined, latency: undefined, memcaslap: { ...memcaslapResult(90_000, 60, 0), gets: 0 } },
      { load: undefined, latency: undefined, memcaslap: memcaslapResult(60_000, 70) },
    )!;
    assert.match(noGets.withheld.join(), /memcaslap sent no get/);
    const refusedTable = loadTable([
      { name: 'phase2', memcaslap: memcaslapResult(90_000, 60, 0), ratios: refused },
      { name: 'memcached', memcaslap: memcaslapResult(60_000, 70) },
    ], 0);
    assert.match(refusedTable, /throughput \(req\/s\) \[memcaslap\]\s+90,000 \(withheld\)\s+60,000/);
    assert.doesNotMatch(refusedTable, /\[kvlab\]/, 'no kvlab rows when only memcaslap ran');
    const text = loadTable([
      { name: 'phase2', load: loadResult(20_000, 0.5), memcaslap: memcaslapResult(30_000, 60), ratios: { ...ratios, memcaslapThroughput: 0.5 } },
      { name: 'memcached', ...fast, memcaslap: memcaslapResult(60_000, 70) },
    ], 0);
    assert.match(text, /throughput \(req\/s\) \[kvlab\]\s+20,000 \(bound\)\s+40,000/);
    assert.match(text, /throughput \(req\/s\) \[memcaslap\]\s+30,000 \(0\.50×\)\s+60,000/);
    assert.match(text, /generator CPU per thread \[kvlab\]\s+50 %\s+95 % BOUND/);
    assert.match(text, /generator-bound \[kvlab\]\s+no\s+YES/);
    assert.match(text, /generator CPU per request \(µs\) \[kvlab\]\s+25\.0\s+23\.8/, '50 % of a core at 20,000/s is 25 µs a request');
  });

  test('memcaslap gets the run\'s load where it can express it, and its summary is read', () => {
    const settings = { connections: 50, pipeline: 1, rate: 0, getRatio: 0.9, valueSize: 100, durationS: 2, protocol: 'binary', threads: 1 };
    assert.deepEqual(memcaslapArgs('127.0.0.1', 4000, settings, '/tmp/w.cfg'),
      ['-s', '127.0.0.1:4000', '-T', '1', '-c', '50', '-X', '100', '-w', '1k', '-t', '2s', '-F', '/tmp/w.cfg', '-B']);
    assert.equal(memcaslapConfig(settings), 'key\n20 20 1\nvalue\n100 100 1\ncmd\n0 0.1000\n1 0.9000\n');
    assert.match(memcaslapUnavailable({ ...settings, pipeline: 16 }) ?? '', /--pipeline 16 cannot be expressed/);
    assert.match(memcaslapUnavailable({ ...settings, rate: 1000 }) ?? '', /open loop/);
    const summary = parseMemcaslapSummary('cmd_get: 201083\ncmd_set: 22366\nget_misses: 12\n\nRun time: 2.0s Ops: 223449 TPS: 111258 Net_rate: 17.5M/s\n');
    assert.deepEqual(summary, { seconds: 2, requests: 223449, throughput: 111258, gets: 201083, sets: 22366, getMisses: 12 });
    assert.equal(parseMemcaslapSummary('failed to connect'), undefined);
  });

  test('tables align columns and list skipped targets', () => {
    assert.equal(formatTable(['', 'a'], [['row', '1'], ['longer row', '100']]), '              a\n----------  ---\nrow           1\nlonger row  100');
    assert.equal(formatBytes(1536), '1.5 KiB');
    const text = loadTable([
      { name: 'phase1', load: loadResult(20_000, 0.5), ratios: { throughput: 0.5, p99: 2, withheld: [] } },
      { name: 'memcached', load: loadResult(40_000, 0.25) },
      { name: 'phase9', unavailable: 'phase9 does not exist yet' },
    ], 0);
    assert.match(text, /throughput \(req\/s\) \[kvlab\]\s+20,000 \(0\.50×\)\s+40,000/);
    assert.doesNotMatch(text, /@/);
    const withPass = loadTable([{ name: 'memcached', load: loadResult(40_000, 3), latency: loadResult(10_000, 0.25) }], 10_000);
    assert.match(withPass, /latency p99 @ 10,000\/s \(ms\) \[kvlab\]\s+0\.250/);
    assert.match(withPass, /p99 at full throughput \(ms\) \[kvlab\]\s+3\.000/);
    assert.match(text, /server CPU \[kvlab\]\s+n\/a/);
    assert.match(text, /phase9: not available — phase9 does not exist yet/);
  });

  test('the chart has one bar per target in each panel and escapes names', () => {
    const svg = loadChart([{ name: 'a<b', throughput: 1000, p99Ms: 0.5 }, { name: 'memcached', throughput: 2000, p99Ms: 0.2 }], 'node & co');
    assert.equal(svg.match(/<rect /g)?.length, 1 + 4, 'a background and two bars per panel');
    assert.match(svg, /a&lt;b/);
    assert.match(svg, /node &amp; co/);
    assert.doesNotMatch(svg, /NaN|undefined/);
  });

  test('targets are phases, memcached, or loopback addresses only', () => {
    assert.match(resolveTarget('phase9').unavailable ?? '', /^phase9 does not exist yet \(phases\/registry.ts lists phase1, phase2, phase3, phase4/);
    assert.equal(resolveTarget('phase4').unavailable, undefined, 'phase 4 is a target');
    assert.deepEqual(resolveTarget('127.0.0.1:11211'), {
      name: '127.0.0.1:11211', kind: 'external', base: '127.0.0.1:11211', serverArgs: [], unavailable: undefined, host: '127.0.0.1', port: 11211,
    });
    assert.equal(resolveTarget('[::1]:11211').host, '::1');
    assert.equal(resolveTarget('localhost:11211').port, 11211);
    assert.throws(() => resolveTarget('10.0.0.1:11211'), /loopback/);
    assert.throws(() => resolveTarget('redis'), TargetError);
    assert.throws(() => resolveTarget('redis'), /unknown target/);
    assert.ok(isLoopback('127.1.2.3') && isLoopback('localhost') && !isLoopback('192.168.0.1'));
  });

  test('server options ride on a target name', () => {
    const workers = resolveTarget('phase2:workers=2');
    assert.deepEqual([workers.name, workers.kind, workers.base, workers.serverArgs], ['phase2:workers=2', 'phase', 'phase2', ['--workers', '2']]);
    assert.deepEqual(resolveTarget('phase2:workers=1:requests-per-turn=16').serverArgs, ['--workers', '1', '--requests-per-turn', '16']);
    assert.deepEqual(resolveTarget('phase9:verbose').serverArgs, ['--verbose']);
    assert.match(resolveTarget('phase9:workers=2').unavailable ?? '', /^phase9 does not exist yet/);
    assert.deepEqual(resolveTarget('memcached:t=1').serverArgs, ['-t', '1']);
    assert.deepEqual(resolveTarget('memcached:t=1:max-conns-fast').serverArgs, ['-t', '1', '--max-conns-fast']);
    assert.deepEqual(resolveTarget('memcached:listen-backlog=64').serverArgs, ['--listen-backlog=64']);
    assert.throws(() => resolveTarget('phase2:=2'), /not an option/);
    assert.throws(() => resolveTarget('phase2:workers=2 x'), /not an option/);
  });

  test('a phase is measured over a protocol only if its capabilities.ts declares it', async () => {
    assert.match(String(await protocolUnavailable(resolveTarget('phase1'), 'binary')), /phase1 does not serve the binary protocol \(phases\/phase1\/capabilities.ts\)/);
    assert.equal(await protocolUnavailable(resolveTarget('phase1'), 'text'), undefined);
    assert.equal(await protocolUnavailable(resolveTarget('phase2:workers=2'), 'binary'), undefined);
    assert.equal(await protocolUnavailable(resolveTarget('127.0.0.1:11211'), 'binary'), undefined, 'an address is taken at its word');
    const [phase1, phase2] = await withProtocol([resolveTarget('phase1'), resolveTarget('phase2')], 'binary');
    assert.match(String(phase1!.unavailable), /binary/);
    assert.equal(phase2!.unavailable, undefined);
  });

  test('the command line is echoed so it can be pasted back', () => {
    const saved = process.env.npm_lifecycle_event;
    try {
      delete process.env.npm_lifecycle_event;
      assert.equal(commandLine(['--targets', 'phase1,memcached']), 'node --import tsx shared/bench/cli.ts --targets phase1,memcached');
      process.env.npm_lifecycle_event = 'bench';
      assert.equal(commandLine(['--phase-args', '--workers 2']), "npm run bench -- --phase-args '--workers 2'");
    } finally {
      if (saved === undefined) delete process.env.npm_lifecycle_event;
      else process.env.npm_lifecycle_event = saved;
    }
  });

  test('/proc gives this process a CPU time and an RSS', () => {
    assert.ok(procAvailable(process.pid));
    assert.equal(procAvailable(2 ** 22 + 1), false, 'a pid above the kernel maximum does not exist');
    const { cpuSeconds, rssBytes } = snapshot(process.pid);
    assert.ok(cpuSeconds > 0);
    assert.ok(rssBytes > 1024 * 1024);
    // This thread's own clock moves with work done on it, and never past the whole process's.
    const before = threadCpuSeconds()!;
    const until = performance.now() + 60;
    while (performance.now() < until) Math.sqrt(Math.random());
    const after = threadCpuSeconds()!;
    assert.ok(after > before, `thread CPU ${before} → ${after}`);
    assert.ok(after <= process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 + 0.02);
    assert.ok(threadsCpuSeconds(process.pid).size >= 1);
  });
});

describe('alternating rounds', { timeout: 10_000 }, () => {
  const pass = (throughput: number, cpu = 50) => ({ throughput, generator: generatorUsage('kvlab', [cpu], cpu) });

  test('the median, and the pass of the median round', () => {
    assert.equal(median([]), undefined);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(medianPass([pass(30), pass(10), pass(20)])?.throughput, 20);
    assert.equal(medianPass([pass(40), pass(10), pass(30), pass(20)])?.throughput, 20, 'the lower middle of an even count');
  });

  test('a ratio pairs the passes of one round and leaves out rounds with a saturated generator', () => {
    // Round 2 ran while the machine was busy for both: paired, its ratio is as good as the others'.
    assert.equal(pairedRatio([pass(50), pass(20), pass(55)], [pass(100), pass(40), pass(100)]), 0.5);
    // Unpaired medians would say 50/100; the saturated round 1 of memcached is left out.
    assert.equal(pairedRatio([pass(50), pass(30), pass(30)], [pass(100, 95), pass(60), pass(60)]), 0.5);
    assert.equal(pairedRatio([pass(50)], [pass(100, 95)]), undefined);
    const text = loadTable([
      { name: 'phase2', load: loadResult(20_000, 0.5), rounds: { kvlab: [20_000, 31_250], memcaslap: [] }, ratios: { throughput: 0.5, withheld: [] } },
      { name: 'memcached', load: loadResult(40_000, 0.25), rounds: { kvlab: [40_000, 60_000], memcaslap: [] } },
    ], 0);
    assert.match(text, /each round \(req\/s\) \[kvlab\]\s+20\.0K \/ 31\.3K\s+40\.0K \/ 60\.0K/);
  });
});
