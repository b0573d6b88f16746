/**
 * Phase 4 with `--threads 2` on a unix socket (memcached's -s with -t 2), as a process: the first
 * loop binds the path and the second listens on its own copy of that socket, as with TCP; clients
 * land on both loops (counted from each loop's "connection opened" lines: a unix peer has no port
 * to tell clients apart) and share one store; SIGTERM drains both loops, exits 0, removes the
 * socket file and leaves no child process.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askUntil } from '../../../../shared/testing/line-client.ts';
import { phaseArgs } from '../../../../shared/testing/server-process.ts';
import { logged, openedPerLoop } from './loop-log.ts';
import { childrenOf } from './server-children.ts';

const T = { timeout: 90_000 };
/** Connections opened until both loops have taken one (the kernel's split is uneven but not one-sided). */
const MAX_CONNECTIONS = 200;
const READY_WITHIN_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'kvlab-threads-unix-'));
const path = join(dir, 'kvlab.sock');
let child: ChildProcess;
let exited: Promise<unknown[]>;
let text = '';
const server = { output: () => text };
/** One client on each loop. */
const onLoop: Socket[] = [];
const clients: Socket[] = [];

before(async () => {
  // phaseArgs' --port is ignored where -s is given: the unix socket replaces TCP.
  child = spawn(process.execPath, phaseArgs('phase4', ['--threads', '2', '-s', path, '--log-level', 'debug']), { stdio: ['ignore', 'pipe', 'pipe'] });
  exited = once(child, 'exit');
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!text.includes(`listening on unix:${path}`)) {
    assert.ok(Date.now() < deadline && child.exitCode === null, `no ready line; output: ${text.slice(-800)}`);
    // Another process's output: polled, there is no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

after(() => {
  for (const socket of clients) socket.destroy();
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('clients of the unix socket land on both loops, and share one store', T, async () => {
  for (let opened = 0; opened < MAX_CONNECTIONS && (onLoop[0] === undefined || onLoop[1] === undefined); opened++) {
    const before = openedPerLoop(server);
    const socket = connect({ path });
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    clients.push(socket);
    assert.equal(await askUntil(socket, 'version\r\n', '\r\n'), 'VERSION 1.6.18-kvlab-phase4\r\n');
    // Its loop: the one whose count of opened connections grew (one client at a time).
    await logged(server, () => openedPerLoop(server).some((count, loop) => count > before[loop]!), 'the connection opening');
    const loop = openedPerLoop(server).findIndex((count, index) => count > before[index]!);
    onLoop[loop] ??= socket;
  }
  assert.ok(onLoop[0] && onLoop[1], `both loops took a connection within ${MAX_CONNECTIONS}`);
  assert.equal(await askUntil(onLoop[0], 'set threads-unix:k 1 0 3\r\nabc\r\n', '\r\n'), 'STORED\r\n');
  assert.equal(await askUntil(onLoop[1], 'get threads-unix:k\r\n', 'END\r\n'), 'VALUE threads-unix:k 1 3\r\nabc\r\nEND\r\n');
  const stats = await askUntil(onLoop[1], 'stats\r\n', 'END\r\n');
  assert.match(stats, /STAT threads 2\r\n/);
  assert.equal(/STAT curr_connections (\d+)\r\n/.exec(stats)?.[1], String(clients.length), 'curr_connections over both loops');
});

test('SIGTERM drains both loops, exits 0, removes the socket file, and no child process is left', T, async () => {
  assert.deepEqual(childrenOf(child.pid!), [], 'children of the server');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, text.slice(-800));
  assert.match(text, /shut down: [1-9]\d* connections drained, 0 forced/);
  assert.ok(!existsSync(path), 'the socket file is removed on a clean stop');
});
