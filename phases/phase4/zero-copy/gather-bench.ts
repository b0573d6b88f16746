/**
 * Copy or gather? The crossover, measured. For each value size from 100 bytes to 1 MiB, the reply
 * server (reply-server.ts, its own process) answers `get`-shaped replies from shared memory either
 * by copying each reply into one buffer or by gathering header, value view and trailer into one
 * `writev`; this process drives it — `--connections` sockets with `--depth` requests in flight
 * each — in alternating rounds (copy, gather, copy, gather …) so that drift on a shared machine
 * falls on both, and reads the server's CPU time from /proc around every round. CPU per reply is
 * the figure that decides: the rate also carries this client's reading, on the same cores.
 *
 *   npm run bench:gather   (node --import tsx phases/phase4/zero-copy/gather-bench.ts
 *                           [--sizes 100,1024,…] [--seconds 1.5] [--rounds 3] [--connections 8] [--depth 4])
 * @module
 */
import { connect, type Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { snapshot } from '../../../shared/bench/proc-stats.ts';
import { median } from '../../../shared/bench/rounds.ts';
import { startProcess, type RunningServer } from '../../../shared/testing/server-process.ts';
import { REPLY_TRAILER, replyHeader, type WriteMode } from './reply-shape.ts';

/** The reply server's entry file. */
export const REPLY_SERVER = fileURLToPath(new URL('./reply-server.ts', import.meta.url));

/** The sizes measured by default: 100 B to 1 MiB, about ×4 apart. */
export const DEFAULT_SIZES = [100, 1024, 4096, 8192, 16_384, 32_768, 65_536, 262_144, 1_048_576];

/** What one round of one mode at one size measured. */
export interface RoundFigures {
  readonly replies: number;
  readonly seconds: number;
  readonly serverCpuSeconds: number;
}

/** The bytes of one whole reply carrying `size` value bytes. */
export function replyBytes(size: number): number {
  return replyHeader(size).length + size + REPLY_TRAILER.length;
}

/** Starts the reply server. */
export function startReplyServer(): Promise<RunningServer> {
  return startProcess('reply-server', process.execPath, ['--import', 'tsx', REPLY_SERVER, '--port', '0']);
}

/** Opens one connection set to `mode` and `size`. */
export function openClient(port: number, mode: WriteMode, size: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.off('error', reject);
      socket.write(`${mode} ${size}\n`);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Keeps `depth` requests in flight on every socket for `seconds`, counting whole replies by their
 * bytes (each is `replyBytes(size)` long), and resolves with the replies received.
 */
function drive(sockets: readonly Socket[], size: number, depth: number, seconds: number): Promise<number> {
  const perReply = replyBytes(size);
  const ask = Buffer.alloc(depth, 'g');
  const stopAt = performance.now() + seconds * 1000;
  return Promise.all(sockets.map((socket) => new Promise<number>((resolve) => {
    let received = 0;
    let answered = 0;
    let asked = depth;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      const whole = Math.floor(received / perReply);
      if (whole === answered) return;
      answered = whole;
      if (performance.now() < stopAt) {
        // Top the socket up to `depth` outstanding requests again.
        const more = answered + depth - asked;
        socket.write(more === depth ? ask : ask.subarray(0, more));
        asked += more;
      } else if (answered === asked) {
        socket.off('data', onData);
        resolve(answered);
      }
    };
    socket.on('data', onData);
    socket.write(ask);
  }))).then((counts) => counts.reduce((sum, n) => sum + n, 0));
}

/** One round: fresh connections in `mode`, driven for `seconds`, with the server's CPU around it. */
export async function measureRound(server: RunningServer, mode: WriteMode, size: number, connections: number, depth: number, seconds: number): Promise<RoundFigures> {
  const sockets = await Promise.all(Array.from({ length: connections }, () => openClient(server.port, mode, size)));
  try {
    const before = snapshot(server.pid);
    const started = performance.now();
    const replies = await drive(sockets, size, depth, seconds);
    const elapsed = (performance.now() - started) / 1000;
    const after = snapshot(server.pid);
    return { replies, seconds: elapsed, serverCpuSeconds: after.cpuSeconds - before.cpuSeconds };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

/** The figures of one mode at one size over its rounds: medians of rate and CPU per reply. */
interface Summary {
  readonly perSecond: number;
  readonly cpuMicros: number;
}

function summarise(rounds: readonly RoundFigures[]): Summary {
  return {
    perSecond: median(rounds.map((r) => r.replies / r.seconds)) ?? 0,
    cpuMicros: median(rounds.map((r) => (r.serverCpuSeconds / r.replies) * 1e6)) ?? 0,
  };
}

function sizeLabel(size: number): string {
  return size >= 1024 * 1024 ? `${size / (1024 * 1024)} MiB` : size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: DEFAULT_SIZES.join(',') },
      seconds: { type: 'string', default: '1.5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '8' },
      depth: { type: 'string', default: '4' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const [seconds, rounds, connections, depth] = [Number(values.seconds), Number(values.rounds), Number(values.connections), Number(values.depth)];
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  console.log(`${connections} connections × ${depth} in flight, ${rounds} alternating rounds of ${seconds} s per mode and size`);
  console.log('| value | copy: replies/s | gather: replies/s | copy: server µs/reply | gather: server µs/reply | gather / copy CPU |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const server = await startReplyServer();
  try {
    for (const size of sizes) {
      const figures: Record<WriteMode, RoundFigures[]> = { copy: [], gather: [] };
      for (let round = 0; round < rounds; round++) {
        for (const mode of ['copy', 'gather'] as const) figures[mode].push(await measureRound(server, mode, size, connections, depth, seconds));
      }
      const copy = summarise(figures.copy);
      const gather = summarise(figures.gather);
      const number = (n: number) => Math.round(n).toLocaleString('en-US');
      console.log(`| ${sizeLabel(size)} | ${number(copy.perSecond)} | ${number(gather.perSecond)} | ${copy.cpuMicros.toFixed(2)} | ${gather.cpuMicros.toFixed(2)} | ${(gather.cpuMicros / copy.cpuMicros).toFixed(2)} |`);
    }
  } finally {
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
