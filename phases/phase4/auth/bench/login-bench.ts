/**
 * What authentication costs, in three measurements printed as a table:
 *
 * 1. The credential check in process: nanoseconds per `Credentials.check` for the right password,
 *    a wrong one that differs in its last byte, one that differs in its first, and an unknown
 *    user — which must be the same, within noise, for the comparison to leak nothing.
 * 2. Logins over TCP: a new connection, one login, its answer, close — per second and p50/p99,
 *    for the text handshake (-Y) and SASL PLAIN (-S).
 * 3. What a logged-in connection pays afterwards: pipelined gets on one connection, on a server
 *    with authentication and on one without — the door steps aside after the login, so the two
 *    should match.
 *
 * Run: `node --import tsx phases/phase4/auth/bench/login-bench.ts [seconds per TCP measurement, default 3]`
 * @module
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { median } from '../../../../shared/bench/rounds.ts';
import { Credentials } from '../credentials.ts';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';

const seconds = Number(process.argv[2] ?? 3);
/**
 * Each TCP measurement runs in 500 ms rounds that alternate with the one it is compared to, so a
 * machine whose load changes during the run slows both alike.
 */
const ROUND_MS = 500;
const ROUNDS = Math.max(1, Math.round((seconds * 1000) / ROUND_MS));
const PASSWORD = 'correct-horse-battery-staple';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** ns per check for each kind of guess, interleaved in rounds so drift hits all alike. */
function checkCost(): Record<string, number> {
  const users = Credentials.parse(Buffer.from(`alice:${PASSWORD}\n`));
  const guesses: Record<string, [string, Buffer]> = {
    'right password': ['alice', Buffer.from(PASSWORD)],
    'wrong in the last byte': ['alice', Buffer.from(`${PASSWORD.slice(0, -1)}X`)],
    'wrong in the first byte': ['alice', Buffer.from(`X${PASSWORD.slice(1)}`)],
    'unknown user': ['mallory', Buffer.from(PASSWORD)],
  };
  const rounds: Record<string, number[]> = Object.fromEntries(Object.keys(guesses).map((name) => [name, []]));
  // Short rounds, many of them, taken in turn: a change in the machine's load lands on every kind
  // of guess alike, and the median drops the rounds that a preemption hit.
  const perRound = 2_000;
  for (let round = 0; round < 150; round++) {
    for (const [name, [user, password]] of Object.entries(guesses)) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) users.check(user, password);
      rounds[name]!.push(Number(process.hrtime.bigint() - started) / perRound);
    }
  }
  return Object.fromEntries(Object.entries(rounds).map(([name, values]) => [name, median(values.slice(10))!]));
}

function ask(socket: Socket, request: Buffer | string, done: (reply: Buffer) => boolean): Promise<void> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!done(received)) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
    socket.write(request);
  });
}

async function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  return socket;
}

const TEXT_LOGIN = `set auth 0 0 ${6 + PASSWORD.length}\r\nalice ${PASSWORD}\r\n`;
const SASL_LOGIN = (() => {
  const value = Buffer.from(`\0alice\0${PASSWORD}`, 'latin1');
  const header = Buffer.alloc(24);
  header[0] = 0x80;
  header[1] = 0x21;
  header.writeUInt16BE(5, 2);
  header.writeUInt32BE(5 + value.length, 8);
  return Buffer.concat([header, Buffer.from('PLAIN'), value]);
})();

/** Sequential logins for `roundMs`, added to `times`: each a new connection, a login, its answer, a close. */
async function logins(port: number, protocol: 'text' | 'binary', times: number[]): Promise<void> {
  const deadline = performance.now() + ROUND_MS;
  while (performance.now() < deadline) {
    const started = performance.now();
    const socket = await open(port);
    let reply: Buffer = Buffer.alloc(0);
    if (protocol === 'text') {
      await ask(socket, TEXT_LOGIN, (bytes) => (reply = bytes).toString('latin1').endsWith('\r\n'));
      if (reply.toString('latin1') !== 'STORED\r\n') throw new Error(`the text login failed: ${reply.toString('latin1')}`);
    } else {
      await ask(socket, SASL_LOGIN, (bytes) => (reply = bytes).length >= 24 && bytes.length >= 24 + bytes.readUInt32BE(8));
      if (reply.readUInt16BE(6) !== 0) throw new Error(`the SASL login failed: status ${reply.readUInt16BE(6)}`);
    }
    times.push(performance.now() - started);
    socket.destroy();
  }
}

/** Pipelined gets (16 in flight) on one connection for `roundMs`, after a login when `login` is given. */
async function pipelinedGets(port: number, login: string | null): Promise<number> {
  const socket = await open(port);
  if (login !== null) await ask(socket, login, (reply) => reply.toString('latin1') === 'STORED\r\n');
  await ask(socket, 'set bench 0 0 100\r\n' + 'x'.repeat(100) + '\r\n', (reply) => reply.toString('latin1').endsWith('STORED\r\n'));
  const batch = Buffer.from('get bench\r\n'.repeat(16));
  const replyBytes = 'VALUE bench 0 100\r\n'.length + 102 + 'END\r\n'.length;
  let done = 0;
  const deadline = performance.now() + ROUND_MS;
  while (performance.now() < deadline) {
    await ask(socket, batch, (reply) => reply.length >= replyBytes * 16);
    done += 16;
  }
  socket.destroy();
  return done;
}

const dir = mkdtempSync(join(tmpdir(), 'kvlab-login-bench-'));
const users = join(dir, 'users.txt');
writeFileSync(users, `alice:${PASSWORD}\n`);
const servers: RunningServer[] = [];
try {
  console.log(`login-bench: node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`command: node --import tsx phases/phase4/auth/bench/login-bench.ts ${seconds}\n`);
  console.log('credential check, in process (median of 140 rounds of 2,000, taken in turn):');
  for (const [name, ns] of Object.entries(checkCost())) console.log(`  ${name.padEnd(26)} ${ns.toFixed(0).padStart(6)} ns`);

  const withAuth = await startPhase('phase4', ['-Y', users, '-S', '--auth-delay-ms', '0', '--log-level', 'warn']);
  servers.push(withAuth);
  const withoutAuth = await startPhase('phase4', ['--log-level', 'warn']);
  servers.push(withoutAuth);
  console.log(`\nlogins over TCP, one at a time, ${seconds} s each in alternating rounds (connect, log in, answer, close):`);
  const times = { text: [] as number[], binary: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    await logins(withAuth.port, 'text', times.text);
    await logins(withAuth.port, 'binary', times.binary);
  }
  for (const protocol of ['text', 'binary'] as const) {
    const all = times[protocol];
    console.log(`  ${protocol === 'text' ? '-Y text handshake' : '-S SASL PLAIN    '}  ${(all.length / (ROUNDS * ROUND_MS / 1000)).toFixed(0).padStart(6)} logins/s   p50 ${percentile(all, 50).toFixed(2)} ms   p99 ${percentile(all, 99).toFixed(2)} ms`);
  }
  console.log(`\npipelined gets after the login, 1 connection, 16 in flight, ${seconds} s each in alternating rounds:`);
  let on = 0;
  let off = 0;
  for (let round = 0; round < ROUNDS; round++) {
    on += await pipelinedGets(withAuth.port, TEXT_LOGIN);
    off += await pipelinedGets(withoutAuth.port, null);
  }
  const perSecond = (count: number) => count / (ROUNDS * ROUND_MS / 1000);
  console.log(`  with -Y -S (logged in)     ${perSecond(on).toFixed(0).padStart(7)} gets/s`);
  console.log(`  without authentication     ${perSecond(off).toFixed(0).padStart(7)} gets/s   (ratio ${(on / off).toFixed(2)})`);
} finally {
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
