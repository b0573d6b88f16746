/**
 * Phase 4 with `--threads 2`, as a process: connections land on both loops (each loop's debug
 * line "connection opened" names it, and the peer's port says which client it was); a value set
 * through one loop is read through the other; `stats` and `stats conns` from either loop count
 * every loop's connections and commands; SIGTERM drains both loops and the process leaves no
 * child behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { askUntil, openSocket } from '../../../../shared/testing/line-client.ts';
import { childrenOf } from './server-children.ts';

const T = { timeout: 60_000 };
/** Connections opened until both loops have taken some (the kernel splits them about evenly). */
const MAX_SOCKETS = 200;
/** How long the server's log may lag behind what a client saw (its log is written asynchronously). */
const LOG_DEADLINE_MS = 15_000;

let server: RunningServer;
/** Every open client socket, and the loop that accepted it. */
const clients: { socket: Socket; loop: number }[] = [];

/** The loop that logged opening the connection from client port `port`, once that line is there. */
async function loopOf(port: number): Promise<number> {
  const deadline = Date.now() + LOG_DEADLINE_MS;
  for (;;) {
    for (const line of server.output().split('\n')) {
      if (!line.includes('"connection opened"') || !line.includes(`:${port}"`)) continue;
      const entry = JSON.parse(line) as { loop?: number; peer?: string };
      if (entry.peer === `127.0.0.1:${port}` && typeof entry.loop === 'number') return entry.loop;
    }
    if (Date.now() > deadline) throw new Error(`no "connection opened" line for port ${port} within ${LOG_DEADLINE_MS} ms`);
    // The line is on its way through an asynchronous log stream: look again shortly.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `stats` as a map, asked on `socket`. */
async function stats(socket: Socket, group = ''): Promise<Map<string, string>> {
  const reply = await askUntil(socket, `stats${group ? ` ${group}` : ''}\r\n`, 'END\r\n');
  return new Map(reply.split('\r\n').filter((line) => line.startsWith('STAT ')).map((line) => {
    const [, name, ...value] = line.split(' ');
    return [name!, value.join(' ')];
  }));
}

function onLoop(loop: number): Socket {
  const found = clients.find((client) => client.loop === loop);
  assert.ok(found, `a connection on loop ${loop}`);
  return found.socket;
}

before(async () => {
  server = await startPhase('phase4', ['--threads', '2', '--log-level', 'debug']);
  while ((clients.length < MAX_SOCKETS && new Set(clients.map((client) => client.loop)).size < 2) || clients.length < 8) {
    const socket = await openSocket(server.port);
    // A reply first: the loop that answered has surely accepted, and logged it.
    await askUntil(socket, 'version\r\n', '\r\n');
    clients.push({ socket, loop: await loopOf(socket.localPort!) });
  }
});

after(async () => {
  for (const { socket } of clients) socket.destroy();
  await server.stop();
});

test('connections land on both loops', T, () => {
  const loops = new Set(clients.map((client) => client.loop));
  assert.deepEqual([...loops].sort(), [0, 1], `loops seen over ${clients.length} connections`);
});

test('a value set through one loop is read through the other, and an incr through each adds up', T, async () => {
  const zero = onLoop(0);
  const one = onLoop(1);
  assert.equal(await askUntil(zero, 'set threads:k 5 0 5\r\nhello\r\n', '\r\n'), 'STORED\r\n');
  assert.equal(await askUntil(one, 'get threads:k\r\n', 'END\r\n'), 'VALUE threads:k 5 5\r\nhello\r\nEND\r\n');
  assert.equal(await askUntil(one, 'set threads:n 0 0 1\r\n0\r\n', '\r\n'), 'STORED\r\n');
  for (let i = 0; i < 10; i++) {
    await askUntil(zero, 'incr threads:n 1\r\n', '\r\n');
    await askUntil(one, 'incr threads:n 2\r\n', '\r\n');
  }
  assert.equal(await askUntil(zero, 'get threads:n\r\n', 'END\r\n'), 'VALUE threads:n 0 2\r\n30\r\nEND\r\n');
});

test('stats from either loop counts every loop: threads, connections, commands; stats conns lists every socket', T, async () => {
  const zero = onLoop(0);
  const one = onLoop(1);
  const before = await stats(one);
  assert.equal(before.get('threads'), '2');
  assert.equal(Number(before.get('curr_connections')), clients.length, 'curr_connections');
  for (let i = 0; i < 3; i++) await askUntil(zero, 'get threads:none\r\n', 'END\r\n');
  for (let i = 0; i < 4; i++) await askUntil(one, 'get threads:none\r\n', 'END\r\n');
  const afterGets = await stats(zero);
  assert.equal(Number(afterGets.get('cmd_get')) - Number(before.get('cmd_get')), 7, 'cmd_get over both loops');
  assert.equal(Number(afterGets.get('get_misses')) - Number(before.get('get_misses')), 7, 'get_misses over both loops');
  const conns = await stats(zero, 'conns');
  const listed = [...conns].filter(([name]) => name.endsWith(':addr')).map(([, addr]) => addr);
  for (const { socket } of clients) assert.ok(listed.includes(`tcp:127.0.0.1:${socket.localPort}`), `stats conns lists port ${socket.localPort}`);
  const ids = [...conns.keys()].filter((name) => name.endsWith(':addr')).map((name) => name.split(':')[0]);
  assert.equal(new Set(ids).size, ids.length, 'every row has an id of its own');
});

test('SIGTERM drains both loops, exits 0, and no child process is left', T, async () => {
  assert.deepEqual(childrenOf(server.pid), [], 'children of the server');
  const code = await server.stop(20_000);
  assert.equal(code, 0);
  assert.match(server.output(), new RegExp(`shut down: ${clients.length} connections drained, 0 forced`));
});
