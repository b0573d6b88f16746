/**
 * `npm run bench:threads`: the scaling curve of `--threads N` against memcached's `-t N`, measured
 * by a neutral driver (memcaslap, one request in flight per connection), and the store lock's
 * share of the loops' time from a CPU profile. Every pass starts a fresh server, so each measures
 * the same empty cache; targets take turns within a round (phase 4 t1, t2…, memcached t1, t2…).
 * Prints the context (Node, CPUs, load), the command, and a Markdown table for the guide.
 *
 *   npm run bench:threads -- --threads 1,2 --seconds 5 --rounds 1
 *
 * Bounded: every pass is `--seconds` long and memcaslap is killed 10 s past it; servers are
 * stopped after each pass. Loopback only.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { memcaslapUnavailable, runMemcaslap, type MemcaslapResult, type MemcaslapSettings } from '../../../shared/bench/memcaslap-run.ts';
import { median } from '../../../shared/bench/rounds.ts';
import { memcachedInstalled, phaseArgs, startMemcached, startPhase, startProcess, type RunningServer } from '../../../shared/testing/server-process.ts';
import { lockSharesIn } from './lock-profile.ts';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1,2' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    'value-size': { type: 'string', default: '100' },
    protocols: { type: 'string', default: 'binary,text' },
    'generator-threads': { type: 'string', default: '1' },
    // The profiled passes (one per thread count) take as long again; skip them with this.
    'no-profile': { type: 'boolean', default: false },
  },
});

const threadCounts = values.threads.split(',').map(Number);
const protocols = values.protocols.split(',');
const rounds = Number(values.rounds);
const base: Omit<MemcaslapSettings, 'protocol'> = {
  connections: Number(values.connections), pipeline: 1, rate: 0, getRatio: 0.9, valueSize: Number(values['value-size']),
  durationS: Number(values.seconds), threads: Number(values['generator-threads']),
};
if (threadCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) throw new Error(`--threads: a list of counts from 1 to 64, got ${values.threads}`);
const unavailable = memcaslapUnavailable(base);
if (unavailable) {
  console.log(`bench:threads needs memcaslap: ${unavailable}`);
  process.exit(0);
}

/** One target: how to start it and what to call it in the table. */
interface Target {
  readonly name: string;
  readonly threads: number;
  start(): Promise<RunningServer>;
}
const targets: Target[] = [
  ...threadCounts.map((n) => ({ name: 'phase 4', threads: n, start: () => startPhase('phase4', ['--threads', String(n)], { readyTimeoutMs: 60_000 }) })),
  ...(memcachedInstalled() ? threadCounts.map((n) => ({ name: 'memcached', threads: n, start: () => startMemcached(['-t', String(n)]) })) : []),
];

/** One pass's figures. */
interface Pass {
  readonly throughput: number;
  /** Server CPU per request (µs), from its CPU over memcaslap's middle window. */
  readonly cpuUs: number | undefined;
  readonly serverCpuPercent: number | undefined;
  readonly generatorPercent: number;
  readonly saturated: boolean;
  readonly errors: number;
}

function passOf(result: MemcaslapResult): Pass {
  const cpu = result.server?.cpuPercent;
  return {
    throughput: result.throughput,
    cpuUs: cpu === undefined || result.throughput === 0 ? undefined : (cpu / 100) * 1e6 / result.throughput,
    serverCpuPercent: cpu,
    generatorPercent: result.generator.totalCpuPercent,
    saturated: result.generator.bound,
    errors: result.errorLines,
  };
}

async function measure(target: Target, protocol: string): Promise<Pass> {
  const server = await target.start();
  try {
    return passOf(await runMemcaslap({ host: server.host, port: server.port, pid: server.pid }, { ...base, protocol }));
  } finally {
    await server.stop(20_000);
  }
}

/** A profiled pass of phase 4 with `threads` loops: the lock's share of the busy time of every thread. */
async function profileLock(threads: number): Promise<{ lockPercentOfBusy: number; busyMs: number; lockMs: number }> {
  const folder = mkdtempSync(join(tmpdir(), 'kvlab-threads-prof-'));
  try {
    const args = ['--cpu-prof', '--cpu-prof-dir', folder, ...phaseArgs('phase4', ['--threads', String(threads)])];
    const server = await startProcess(`phase4 --threads ${threads} (profiled)`, process.execPath, args, { readyTimeoutMs: 60_000 });
    try {
      await runMemcaslap({ host: server.host, port: server.port, pid: server.pid }, { ...base, protocol: 'binary' });
    } finally {
      // A graceful stop: every thread writes its profile as it exits.
      await server.stop(20_000);
    }
    // The load is the last stretch of every thread's life: memcaslap's run, then the stop.
    const shares = lockSharesIn(folder, base.durationS * 1000);
    const busyMs = shares.reduce((sum, share) => sum + share.busyMs, 0);
    const lockMs = shares.reduce((sum, share) => sum + share.lockMs, 0);
    return { lockPercentOfBusy: busyMs === 0 ? 0 : (lockMs / busyMs) * 100, busyMs, lockMs };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const fixed = (value: number | undefined, digits = 1) => (value === undefined ? 'n/a' : value.toFixed(digits));

console.log(`# bench:threads — node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`# command: npm run bench:threads -- ${process.argv.slice(2).join(' ')}`.trimEnd());
console.log(`# memcaslap -T ${base.threads} -c ${base.connections} -X ${base.valueSize}, ${base.getRatio * 100} % gets, ${base.durationS} s a pass, ${rounds} round(s), a fresh server each pass`);
if (cpus().length <= 2) console.log(`# note: ${cpus().length} CPUs, shared by memcaslap and the server: a loop past the free cores only adds switching`);

const results = new Map<string, Pass[]>();
for (let round = 0; round < rounds; round++) {
  for (const protocol of protocols) {
    for (const target of targets) {
      const key = `${target.name}|${target.threads}|${protocol}`;
      const pass = await measure(target, protocol);
      console.log(`# round ${round + 1}: ${target.name} -t ${target.threads} ${protocol}: ${pass.throughput} ops/s, ${fixed(pass.cpuUs)} µs CPU/request, generator ${fixed(pass.generatorPercent, 0)} %${pass.saturated ? ' (saturated)' : ''}`);
      results.set(key, [...(results.get(key) ?? []), pass]);
    }
  }
}

console.log('');
console.log('| server | threads | protocol | ops/s (median) | × same server at 1 | server CPU % | CPU µs / request | generator CPU % | errors |');
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const protocol of protocols) {
  for (const target of targets) {
    const passes = results.get(`${target.name}|${target.threads}|${protocol}`) ?? [];
    const one = results.get(`${target.name}|${threadCounts[0]}|${protocol}`) ?? [];
    const ops = median(passes.map((pass) => pass.throughput)) ?? 0;
    const opsAtOne = median(one.map((pass) => pass.throughput)) ?? 0;
    const cpu = median(passes.flatMap((pass) => (pass.serverCpuPercent === undefined ? [] : [pass.serverCpuPercent])));
    const cpuUs = median(passes.flatMap((pass) => (pass.cpuUs === undefined ? [] : [pass.cpuUs])));
    const generator = median(passes.map((pass) => pass.generatorPercent));
    const saturated = passes.some((pass) => pass.saturated) ? ' (saturated)' : '';
    const errors = passes.reduce((sum, pass) => sum + pass.errors, 0);
    console.log(`| ${target.name} | ${target.threads} | ${protocol} | ${Math.round(ops)} | ${opsAtOne === 0 ? 'n/a' : (ops / opsAtOne).toFixed(2)} | ${fixed(cpu, 0)} | ${fixed(cpuUs)} | ${fixed(generator, 0)}${saturated} | ${errors} |`);
  }
}

if (!values['no-profile']) {
  console.log('');
  console.log('| phase 4 threads | lock()/unlock() share of busy thread time (CPU profile, binary) | busy ms sampled | lock ms |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const threads of threadCounts) {
    const share = await profileLock(threads);
    console.log(`| ${threads} | ${share.lockPercentOfBusy.toFixed(2)} % | ${Math.round(share.busyMs)} | ${share.lockMs.toFixed(1)} |`);
  }
}
