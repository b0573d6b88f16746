/**
 * What phase 3's instrumentation costs, measured by a tool nobody here wrote: libmemcached's
 * memcaslap drives phase 2 (no observer) and phase 3 (latency histograms and slow-request log on
 * every request) — the same server otherwise — in alternating rounds of one run, and the ratio of
 * their throughputs is the cost. Beside the throughput, each round reports the server's CPU time
 * per request (from /proc, over the operations memcaslap counted): on a shared machine the
 * throughput of one server swings by tens of percent between rounds, while its CPU per request
 * moves far less, so the two medians together say more than either. memcaslap's own CPU is
 * reported: a round in which it used most of a core is marked generator-bound, and a run with
 * any such round claims no ratio.
 *
 * Usage: `node --import tsx phases/phase3/metrics/instrumentation-cost.ts [rounds=3] [seconds=8] [workers=0]`
 * @module
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { startPhase, type RunningServer } from '../../../shared/testing/server-process.ts';
import { snapshot } from '../../../shared/bench/proc-stats.ts';
import { median } from '../../../shared/bench/rounds.ts';

/** Above this share of one core, memcaslap itself may be what limits the rate. */
const GENERATOR_BOUND = 0.9;

const [rounds = 3, seconds = 8, workers = 0] = process.argv.slice(2).map(Number);

interface Round {
  readonly target: string;
  readonly tps: number;
  /** The server's CPU time per operation, microseconds. */
  readonly serverUs: number;
  /** memcaslap's CPU over the round, in cores. */
  readonly generatorCores: number;
}

/** One memcaslap run against `server`: binary protocol, 50 connections, one thread, 100-byte values, 90 % gets. */
function memcaslap(server: RunningServer): Promise<Round> {
  return new Promise((resolve, reject) => {
    // -B: memcaslap's text keys begin with control bytes, which memcached accepts and KV Lab
    // refuses (protocol.txt forbids them in keys), so in text it would time error replies.
    const child = spawn('memcaslap', ['-s', `${server.host}:${server.port}`, '-B', '-T', '1', '-c', '50', '-X', '100', '-t', `${seconds}s`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = Date.now();
    const serverBefore = snapshot(server.pid).cpuSeconds;
    let cpu = 0;
    // Sampled until it exits: /proc/<pid> is gone afterwards.
    const sampler = setInterval(() => (cpu = snapshot(child.pid!).cpuSeconds || cpu), 200);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sampler);
      const serverSeconds = snapshot(server.pid).cpuSeconds - serverBefore;
      const tps = Number(/TPS:\s*(\d+)/.exec(output)?.[1]);
      const ops = Number(/Ops:\s*(\d+)/.exec(output)?.[1]);
      if (code !== 0 || !Number.isFinite(tps) || !(ops > 0)) return reject(new Error(`memcaslap failed (${code}): ${output.slice(-500)}`));
      // memcaslap gets only keys it has set: a miss means a set was refused, and the round timed errors.
      const misses = Number(/get_misses:\s*(\d+)/.exec(output)?.[1] ?? 0);
      if (misses > 0) return reject(new Error(`memcaslap's gets missed ${misses} times: its sets were refused, so the round measured errors`));
      resolve({ target: server.name, tps, serverUs: (serverSeconds * 1e6) / ops, generatorCores: cpu / ((Date.now() - started) / 1000) });
    });
  });
}

console.log(`# instrumentation cost: phase 2 vs phase 3, --workers ${workers}, ${rounds} rounds × ${seconds} s, memcaslap -B -T1 -c50 -X100`);
console.log(`# node ${process.version}, ${availableParallelism()} CPUs, ${new Date().toISOString()}`);
const servers = [await startPhase('phase2', ['--workers', String(workers)]), await startPhase('phase3', ['--workers', String(workers)])];
const results: Round[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so a drift of the machine's speed falls on both alike.
    for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
      const result = await memcaslap(server);
      results.push(result);
      console.log(`${result.target.padEnd(8)} ${String(result.tps).padStart(7)} ops/s   server ${result.serverUs.toFixed(2)} µs CPU/op   memcaslap ${(result.generatorCores * 100).toFixed(0)}% of a core`);
    }
  }
} finally {
  for (const server of servers) await server.stop();
}
const of = (target: string) => median(results.filter((r) => r.target === target).map((r) => r.tps))!;
const cpuOf = (target: string) => median(results.filter((r) => r.target === target).map((r) => r.serverUs))!;
const bound = results.filter((r) => r.generatorCores > GENERATOR_BOUND);
if (bound.length > 0) {
  console.log(`generator-bound: memcaslap used over ${GENERATOR_BOUND * 100}% of a core in ${bound.length} rounds; no ratio is claimed`);
} else {
  const ratio = of('phase3') / of('phase2');
  console.log(`median phase2 ${of('phase2')} ops/s, phase3 ${of('phase3')} ops/s: phase3/phase2 = ${ratio.toFixed(3)} (instrumentation cost ${((1 - ratio) * 100).toFixed(1)}%)`);
  const cpuRatio = cpuOf('phase3') / cpuOf('phase2');
  console.log(`median server CPU per op: phase2 ${cpuOf('phase2').toFixed(2)} µs, phase3 ${cpuOf('phase3').toFixed(2)} µs: phase3/phase2 = ${cpuRatio.toFixed(3)} (${((cpuRatio - 1) * 100).toFixed(1)}% more CPU a request)`);
}
