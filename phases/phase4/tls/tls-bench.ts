/**
 * What TLS costs, measured in one run: throughput over TLS against plaintext on the same server
 * (one phase 4 process with `-Z` and `--plain-port`, so both listeners share one store and one
 * loop), in alternating rounds so drift on a shared machine falls on both; and the resident
 * memory an idle connection adds, TLS and plaintext, each on a freshly started server.
 * The same idle measurement on Node's bare servers (bench/bare-node-server.ts) shows what of it is
 * Node's and OpenSSL's. Beside each round's rate it prints the server's CPU time per request, which a shared machine
 * disturbs far less than the rate.
 *
 *   npm run bench:tls            (node --import tsx phases/phase4/tls/tls-bench.ts [--seconds 3]
 *                                 [--connections 50] [--rounds 3] [--idle 1000] [--workers 0])
 *
 * The load: each connection sends one request and waits for its reply (depth 1), 90 % `get` and
 * 10 % `set` of 100-byte values over 1,000 keys, from this process — so the client's own TLS work
 * shares the machine with the server's, as it does when client and server share a host.
 * @module
 */
import { cpus, loadavg } from 'node:os';
import { connect as connectPlain, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startPhase, startProcess, type RunningServer } from '../../../shared/testing/server-process.ts';
import { snapshot } from '../../../shared/bench/proc-stats.ts';
import { median } from '../../../shared/bench/rounds.ts';
import { makeTestCertificates, type TestCertificates } from '../../../shared/testing/test-certificates.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    idle: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '0' },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const IDLE = Number(args.idle);
const WORKERS = args.workers;
/** 1,000 keys of 100-byte values: every get hits, after the first set of each key. */
const KEYS = 1000;
const VALUE = Buffer.alloc(100, 'v');
/** Idle sockets settle (buffers released, timers armed) before memory is read again. */
const SETTLE_MS = 1000;

type Transport = 'tls' | 'plain';

/** Opens one client connection over `transport`. */
function openClient(transport: Transport, port: number, certs: TestCertificates): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = transport === 'tls'
      ? connectTls({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(certs.caCert) })
      : connectPlain({ host: '127.0.0.1', port });
    socket.once(transport === 'tls' ? 'secureConnect' : 'connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Runs the depth-1 load on `sockets` for SECONDS; returns completed requests per second. */
async function load(sockets: Socket[]): Promise<number> {
  let completed = 0;
  const stopAt = Date.now() + SECONDS * 1000;
  await Promise.all(sockets.map((socket, index) => new Promise<void>((resolve) => {
    let n = index;
    let pending = '';
    let expect = '';
    const next = () => {
      if (Date.now() >= stopAt) {
        socket.off('data', onData);
        resolve();
        return;
      }
      const key = `bench:${n++ % KEYS}`;
      // 1 in 10 a set, the rest gets: each reply ends with a line we know.
      if (n % 10 === 0) {
        expect = 'STORED\r\n';
        socket.write(`set ${key} 0 0 ${VALUE.length}\r\n${VALUE.toString('latin1')}\r\n`);
      } else {
        expect = 'END\r\n';
        socket.write(`get ${key}\r\n`);
      }
    };
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      if (!pending.endsWith(expect)) return;
      pending = '';
      completed++;
      next();
    };
    socket.on('data', onData);
    next();
  })));
  return completed / SECONDS;
}

/** Per round: requests a second, and the server's CPU time per request in µs (steadier on a busy machine). */
interface Rounds {
  readonly rates: number[];
  readonly cpuMicros: number[];
}

async function throughput(server: RunningServer, plainPort: number, certs: TestCertificates): Promise<Record<Transport, Rounds>> {
  const results: Record<Transport, Rounds> = { tls: { rates: [], cpuMicros: [] }, plain: { rates: [], cpuMicros: [] } };
  for (let round = 0; round < ROUNDS; round++) {
    for (const transport of ['plain', 'tls'] as const) {
      const port = transport === 'tls' ? server.port : plainPort;
      const sockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => openClient(transport, port, certs)));
      // The handshakes are done: what is timed and counted from here is the requests alone.
      const cpuBefore = snapshot(server.pid).cpuSeconds;
      const rate = await load(sockets);
      const cpuSeconds = snapshot(server.pid).cpuSeconds - cpuBefore;
      results[transport].rates.push(rate);
      results[transport].cpuMicros.push((cpuSeconds * 1e6) / (rate * SECONDS));
      for (const socket of sockets) socket.destroy();
    }
  }
  return results;
}

const BARE_SERVER = new URL('./bench/bare-node-server.ts', import.meta.url).pathname;

/**
 * Resident bytes one idle connection adds, on a server started for this measurement alone:
 * phase 4, or (`bare`) Node's own server with nothing of KV Lab in it.
 */
async function idleBytes(transport: Transport, certs: TestCertificates, bare = false): Promise<{ perConnection: number; baseline: number }> {
  const server = bare
    ? await startProcess(`bare ${transport}`, process.execPath, ['--import', 'tsx', BARE_SERVER, transport, certs.serverCert, certs.serverKey])
    : await startPhase('phase4', serverArgs(certs, ['--max-connections', String(IDLE + 100)]));
  const plainPort = bare ? server.port : Number(/plaintext on [^\s,)]+:(\d+)/.exec(server.output())![1]);
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const before = snapshot(server.pid).rssBytes;
    const sockets: Socket[] = [];
    // In batches of 100, so the listen backlog never overflows.
    for (let opened = 0; opened < IDLE; opened += 100) {
      sockets.push(...await Promise.all(Array.from({ length: Math.min(100, IDLE - opened) }, () => openClient(transport, transport === 'tls' ? server.port : plainPort, certs))));
    }
    // One request each, so every connection has a session and has read and written once.
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.write('version\r\n');
    })));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const after = snapshot(server.pid).rssBytes;
    for (const socket of sockets) socket.destroy();
    return { perConnection: (after - before) / IDLE, baseline: before };
  } finally {
    await server.stop(10_000);
  }
}

function serverArgs(certs: TestCertificates, extra: string[] = []): string[] {
  return [
    '-p', '0', '--workers', WORKERS, '--log-level', 'warn', '--slow-ms', '0',
    '-Z', '-o', `ssl_chain_cert=${certs.serverCert},ssl_key=${certs.serverKey}`, '--plain-port', '0', ...extra,
  ];
}


const certs = makeTestCertificates();
try {
  console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`command: node --import tsx phases/phase4/tls/tls-bench.ts --seconds ${SECONDS} --connections ${CONNECTIONS} --rounds ${ROUNDS} --idle ${IDLE} --workers ${WORKERS}`);
  console.log(`server: phase 4, --workers ${WORKERS}, TLS 1.3 with an EC P-256 certificate, plaintext beside it on the same process`);
  const server = await startPhase('phase4', serverArgs(certs, ['--max-connections', String(CONNECTIONS * 2 + 100)]));
  const plainPort = Number(/plaintext on [^\s,)]+:(\d+)/.exec(server.output())![1]);
  let rounds: Record<Transport, Rounds>;
  try {
    rounds = await throughput(server, plainPort, certs);
  } finally {
    await server.stop(10_000);
  }
  const plain = median(rounds.plain.rates)!;
  const tls = median(rounds.tls.rates)!;
  console.log(`throughput, ${CONNECTIONS} connections, depth 1, ${SECONDS} s x ${ROUNDS} rounds each (req/s per round):`);
  console.log(`  plaintext  ${rounds.plain.rates.map((r) => r.toFixed(0)).join('  ')}   median ${plain.toFixed(0)}`);
  console.log(`  TLS        ${rounds.tls.rates.map((r) => r.toFixed(0)).join('  ')}   median ${tls.toFixed(0)}   (${(tls / plain).toFixed(2)}x plaintext)`);
  const plainCpu = median(rounds.plain.cpuMicros)!;
  const tlsCpu = median(rounds.tls.cpuMicros)!;
  console.log('server CPU per request (µs per round):');
  console.log(`  plaintext  ${rounds.plain.cpuMicros.map((c) => c.toFixed(1)).join('  ')}   median ${plainCpu.toFixed(1)}`);
  console.log(`  TLS        ${rounds.tls.cpuMicros.map((c) => c.toFixed(1)).join('  ')}   median ${tlsCpu.toFixed(1)}   (+${(tlsCpu - plainCpu).toFixed(1)} µs, ${(tlsCpu / plainCpu).toFixed(2)}x)`);
  const idlePlain = await idleBytes('plain', certs);
  const idleTls = await idleBytes('tls', certs);
  console.log(`idle memory, ${IDLE} connections, server RSS added per connection (each on a fresh server):`);
  console.log(`  plaintext  ${idlePlain.perConnection.toFixed(0)} B   (server RSS before: ${(idlePlain.baseline / 2 ** 20).toFixed(1)} MiB)`);
  console.log(`  TLS        ${idleTls.perConnection.toFixed(0)} B   (server RSS before: ${(idleTls.baseline / 2 ** 20).toFixed(1)} MiB; +${(idleTls.perConnection - idlePlain.perConnection).toFixed(0)} B over plaintext)`);
  const barePlain = await idleBytes('plain', certs, true);
  const bareTls = await idleBytes('tls', certs, true);
  console.log(`  the same on Node's bare net and tls servers (bench/bare-node-server.ts): plaintext ${barePlain.perConnection.toFixed(0)} B, TLS ${bareTls.perConnection.toFixed(0)} B (+${(bareTls.perConnection - barePlain.perConnection).toFixed(0)} B)`);
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  certs.remove();
}
