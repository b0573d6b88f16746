/**
 * Phase 4 with `--threads 2` and authentication (-Y and -S on one users file), as a process: on
 * each loop a text client that has not logged in is refused and one that logs in is served, and a
 * binary client is refused before SASL PLAIN and served after it; `auth_cmds` counts the logins
 * of both loops; SIGHUP's reload of the users file reaches both loops; SIGTERM drains both loops
 * and leaves no child process.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askUntil, openSocket } from '../../../../shared/testing/line-client.ts';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { binaryRequest, binaryStatus, Opcode, Status } from '../../../../shared/conformance/cases/binary-packets.ts';
import { AUTH_FAILURE, loginSet, plainMessage, SASL_FAILURE, UNAUTHENTICATED } from '../../../../shared/conformance/cases/unauthenticated.ts';
import { untilClosed } from '../../tls/test/tls-client.ts';
import { logged, loopOf } from './loop-log.ts';
import { childrenOf } from './server-children.ts';

const T = { timeout: 90_000 };
/** Connections opened until both loops have taken one (the kernel's split is uneven but not one-sided). */
const MAX_CONNECTIONS = 200;
const VERSION = '1.6.18-kvlab-phase4';

const dir = mkdtempSync(join(tmpdir(), 'kvlab-threads-auth-'));
chmodSync(dir, 0o755);
const usersFile = join(dir, 'users.txt');
writeFileSync(usersFile, 'alice:secret-a\n');

let server: RunningServer;
/** Every client opened (closed by `after`), with the loop that accepted it. */
const clients: { socket: Socket; loop: number }[] = [];

/**
 * Opens connections until one is on each loop; `first` runs on every one as soon as it is open
 * (the loop is read from the log, which names it at accept, before any reply).
 */
async function onEachLoop(first: (socket: Socket) => Promise<void>): Promise<Socket[]> {
  const found: Socket[] = [];
  for (let opened = 0; opened < MAX_CONNECTIONS && (found[0] === undefined || found[1] === undefined); opened++) {
    const socket = await openSocket(server.port);
    // Read now: a socket the server hung up on no longer has a port.
    const port = socket.localPort!;
    await first(socket);
    const loop = await loopOf(server, port);
    clients.push({ socket, loop });
    found[loop] ??= socket;
  }
  assert.ok(found[0] && found[1], `both loops took a connection within ${MAX_CONNECTIONS}`);
  return found;
}

/** A text client on a fresh connection: refused before it logs in. */
async function refusedFirst(socket: Socket): Promise<void> {
  assert.equal(await askUntil(socket, 'get threads-auth:k\r\n', '\r\n'), UNAUTHENTICATED);
}

/** A binary packet's bytes (the packet helpers give latin1 text; a socket would write it as UTF-8). */
const bytes = (packet: string) => Buffer.from(packet, 'latin1');

const saslAuth = (user: string, password: string, opaque: number) =>
  bytes(binaryRequest({ opcode: Opcode.SaslAuth, key: 'PLAIN', value: plainMessage(user, password), opaque }));

before(async () => {
  server = await startPhase('phase4', ['--threads', '2', '-Y', usersFile, '-S', '--auth-delay-ms', '0', '--log-level', 'debug']);
});

after(async () => {
  for (const { socket } of clients) socket.destroy();
  await server.stop(20_000);
  rmSync(dir, { recursive: true, force: true });
});

test('text (-Y): on each loop a client is refused before it logs in and served after; auth_cmds counts both loops', T, async () => {
  const sockets = await onEachLoop(refusedFirst);
  for (const [loop, socket] of sockets.entries()) {
    assert.equal(await askUntil(socket, loginSet('threads-auth:t', 'alice wrong'), '\r\n'), AUTH_FAILURE, `loop ${loop}`);
    assert.equal(await askUntil(socket, loginSet('threads-auth:t', 'alice secret-a'), '\r\n'), 'STORED\r\n', `loop ${loop}`);
    assert.equal(await askUntil(socket, `set threads-auth:on${loop} 0 0 1\r\n${loop}\r\n`, '\r\n'), 'STORED\r\n', `loop ${loop}`);
  }
  // One store behind both doors.
  assert.equal(await askUntil(sockets[0]!, 'get threads-auth:on1\r\n', 'END\r\n'), 'VALUE threads-auth:on1 0 1\r\n1\r\nEND\r\n');
  const stats = await askUntil(sockets[1]!, 'stats\r\n', 'END\r\n');
  // The first logins of this server: two on each loop.
  assert.equal(/STAT auth_cmds (\d+)/.exec(stats)?.[1], '4', 'auth_cmds over both loops');
  assert.equal(/STAT auth_errors (\d+)/.exec(stats)?.[1], '2', 'auth_errors over both loops');
});

test('SASL PLAIN (-S): on each loop a binary get before the login is refused and hung up on; after the login commands run', T, async () => {
  // Unauthenticated: Auth failure, then the door hangs up — on whichever loop took the socket.
  await onEachLoop(async (socket) => {
    const closed = untilClosed(socket, null);
    socket.write(bytes(binaryRequest({ opcode: Opcode.Get, key: 'threads-auth:k', opaque: 9 })));
    const reply = await closed;
    assert.equal(reply, binaryStatus(Opcode.Get, Status.AuthError, 9, SASL_FAILURE));
  });
  const sockets = await onEachLoop(() => Promise.resolve());
  for (const [loop, socket] of sockets.entries()) {
    const authenticated = binaryStatus(Opcode.SaslAuth, Status.Ok, 1, 'Authenticated');
    assert.equal(await askUntil(socket, saslAuth('alice', 'secret-a', 1), authenticated), authenticated, `loop ${loop}`);
    const version = binaryStatus(Opcode.Version, Status.Ok, 8, VERSION);
    assert.equal(await askUntil(socket, bytes(binaryRequest({ opcode: Opcode.Version, opaque: 8 })), version), version, `loop ${loop}`);
  }
});

test('SIGHUP reads the users file again in both loops: the new user logs in on each, the old one no longer', T, async () => {
  writeFileSync(usersFile, 'carol:secret-c\n');
  process.kill(server.pid, 'SIGHUP');
  for (const loop of [0, 1]) await logged(server, (entry) => entry.msg === 'auth files reloaded' && entry.loop === loop, `loop ${loop} reloading the users`);
  const sockets = await onEachLoop(refusedFirst);
  for (const [loop, socket] of sockets.entries()) {
    assert.equal(await askUntil(socket, loginSet('threads-auth:t', 'alice secret-a'), '\r\n'), AUTH_FAILURE, `loop ${loop}`);
    assert.equal(await askUntil(socket, loginSet('threads-auth:t', 'carol secret-c'), '\r\n'), 'STORED\r\n', `loop ${loop}`);
  }
});

test('SIGTERM drains both loops, exits 0, and no child process is left', T, async () => {
  assert.deepEqual(childrenOf(server.pid), [], 'children of the server');
  assert.equal(await server.stop(20_000), 0);
  assert.match(server.output(), /shut down: [1-9]\d* connections drained, 0 forced/);
});
