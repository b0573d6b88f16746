/**
 * The edge measured, as a command that prints figures (never a test):
 *
 *   node --import tsx phases/phase4/edge/rate-limit-bench.ts [--workers N] [--seconds S] [--rate R]
 *   node --import tsx phases/phase4/edge/rate-limit-bench.ts --slowloris 5000
 *
 * Rate limit: a polite client (one request at a time, from 127.0.0.1) alone, then beside a greedy
 * one (32 requests in flight, from 127.0.0.2) that is limited to R requests a second — in delay
 * mode, in reject mode, and with no limit at all. Printed per run: the greedy client's replies a
 * second against its limit, and the polite client's p50 and p99 unloaded and loaded.
 *
 * Slowloris: N connections, each sending a request one byte a second, against a server at the
 * connection limit N, with and without a partial-request deadline; meanwhile an honest client
 * tries a fresh connection every 100 ms. Printed: how many honest connections were served or
 * turned away, and how long the deadline took to close the dribblers.
 * @module
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Socket } from 'node:net';
import { startPhase, type RunningServer } from '../../../shared/testing/server-process.ts';
import { askUntil } from '../../../shared/testing/line-client.ts';
import { closedWithin, flood, openFrom } from './test/edge-clients.ts';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '0' },
    seconds: { type: 'string', default: '5' },
    rate: { type: 'string', default: '1000' },
    slowloris: { type: 'string' },
  },
});
const workers = values.workers;
const seconds = Number(values.seconds);
const rate = Number(values.rate);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The p-th percentile of sorted `samples`, in ms. */
function percentile(samples: number[], p: number): number {
  return samples.length === 0 ? NaN : samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!;
}

/** One request at a time for `ms`; the latency of each, sorted. */
async function politeLatencies(socket: Socket, ms: number): Promise<number[]> {
  const samples: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const started = performance.now();
    await askUntil(socket, 'mn\r\n', '\r\n');
    samples.push(performance.now() - started);
    // A polite client: about 200 requests a second, well under any limit measured here.
    await pause(5);
  }
  return samples.sort((a, b) => a - b);
}

/** Both phases of one rate-limit run against a server started with `args`. */
async function rateRun(label: string, args: string[]): Promise<void> {
  const server: RunningServer = await startPhase('phase4', ['--workers', workers, ...args]);
  try {
    const polite = await openFrom(server.port, '127.0.0.1');
    await politeLatencies(polite, 500);
    const alone = await politeLatencies(polite, seconds * 1000);
    const greedy = await openFrom(server.port, '127.0.0.2');
    const load = flood(greedy, 'mn\r\n', 32);
    // A second for the greedy client's burst to pass and the bucket to settle.
    await pause(1000);
    const before = load.total();
    const refusedBefore = load.lines.get('SERVER_ERROR slow down') ?? 0;
    const started = performance.now();
    const loaded = await politeLatencies(polite, seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    const replies = load.total() - before;
    const refused = (load.lines.get('SERVER_ERROR slow down') ?? 0) - refusedBefore;
    load.stop();
    greedy.destroy();
    polite.destroy();
    const served = (replies - refused) / elapsed;
    console.log(`${label.padEnd(22)} greedy served ${served.toFixed(0).padStart(7)}/s${refused > 0 ? ` (+${(refused / elapsed).toFixed(0)}/s refused)` : ''}`
      + `  polite p50 ${percentile(alone, 50).toFixed(3)} → ${percentile(loaded, 50).toFixed(3)} ms,`
      + ` p99 ${percentile(alone, 99).toFixed(3)} → ${percentile(loaded, 99).toFixed(3)} ms (${alone.length}/${loaded.length} samples)`);
  } finally {
    await server.stop();
  }
}

/** N dribbling connections against a server whose limit they fill; an honest client tries every 100 ms. */
async function slowlorisRun(count: number, deadlineSeconds: number): Promise<void> {
  const server = await startPhase('phase4', [
    '--workers', workers, '--max-connections', String(count), '--partial-request-timeout', String(deadlineSeconds),
  ]);
  const dribblers: Socket[] = [];
  /** How long after its first byte each dribbler was closed, in ms. */
  const lifetimes: number[] = [];
  try {
    // Spread over source addresses, as a botnet's would be (and so one address's ports suffice).
    for (let i = 0; i < count; i += 100) {
      const batch = await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, j) => openFrom(server.port, `127.0.${2 + ((i + j) >> 8)}.${1 + ((i + j) & 255) % 254}`)));
      for (const socket of batch) {
        socket.write('g');
        const firstByte = performance.now();
        socket.once('close', () => lifetimes.push(performance.now() - firstByte));
      }
      dribblers.push(...batch);
    }
    const started = performance.now();
    const dribble = setInterval(() => {
      for (const socket of dribblers) if (!socket.destroyed) socket.write('e');
    }, 1000);
    let served = 0;
    let refused = 0;
    const window = (deadlineSeconds || 5) * 1000 + 5000;
    while (performance.now() - started < window) {
      const honest = await openFrom(server.port, '127.0.0.1');
      const reply = await askUntil(honest, 'version\r\n', '\r\n', 5000).catch(() => 'no reply');
      if (reply.startsWith('VERSION')) served++;
      else refused++;
      honest.destroy();
      await pause(100);
    }
    const open = dribblers.filter((socket) => !socket.destroyed).length;
    if (deadlineSeconds > 0) await Promise.all(dribblers.map((socket) => closedWithin(socket, 30_000).catch(() => undefined)));
    clearInterval(dribble);
    lifetimes.sort((a, b) => a - b);
    const closedAfter = lifetimes.length === 0 ? ''
      : `; each closed ${(lifetimes[0]! / 1000).toFixed(2)}–${(lifetimes[lifetimes.length - 1]! / 1000).toFixed(2)} s after its first byte`;
    console.log(`slowloris ${count} conns, deadline ${deadlineSeconds || 'none'}: honest connections (one every 100 ms for ${(window / 1000).toFixed(0)} s after the last dribbler connected)`
      + ` served ${served}, turned away ${refused}; dribblers still open at the end: ${open}${closedAfter}`);
  } finally {
    for (const socket of dribblers) socket.destroy();
    await server.stop();
  }
}

console.log(`# ${process.argv.slice(1).join(' ')}`);
console.log(`# node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (a shared machine: compare within one run)`);
if (values.slowloris !== undefined) {
  const count = Number(values.slowloris);
  await slowlorisRun(count, 0);
  await slowlorisRun(count, 5);
} else {
  console.log(`# workers ${workers}; limit ${rate}/s, burst ${rate / 10}; ${seconds} s per phase`);
  await rateRun('no rate limit', []);
  await rateRun('delay mode', ['--rate-limit', String(rate), '--rate-burst', String(rate / 10)]);
  await rateRun('reject mode', ['--rate-limit', String(rate), '--rate-burst', String(rate / 10), '--rate-limit-mode', 'reject']);
}
