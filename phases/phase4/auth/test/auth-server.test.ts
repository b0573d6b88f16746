/**
 * Phase 4's authentication from the outside: clients nobody here wrote (memjs, libmemcached's
 * memcstat, memccp and memccat, all over SASL PLAIN), memcached's counters and settings, the
 * slowdown of repeated failures from one address, a log that never holds a password, SIGHUP's
 * reload of the users file (sessions already in keep their login), the login deadline, and the
 * door that shuts on a protocol that cannot log in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import memjs from 'memjs';
import { askUntil, openSocket } from '../../../../shared/testing/line-client.ts';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { libmemcachedUnavailable } from '../../../../shared/conformance/real-clients.ts';

/** Never to be seen in a log: the passwords of this test. */
const PASSWORD = 'pw-7f3a9c-never-logged';
const WRONG = 'wrong-4b1e-never-logged';

const dir = mkdtempSync(join(tmpdir(), 'kvlab-auth-server-'));
chmodSync(dir, 0o755);
const usersFile = join(dir, 'users.txt');
writeFileSync(usersFile, `alice:${PASSWORD}\n`);
after(() => rmSync(dir, { recursive: true, force: true }));

function login(user: string, password: string): string {
  const payload = `${user} ${password}`;
  return `set auth 0 0 ${payload.length}\r\n${payload}\r\n`;
}

/** A stat's value from a `stats` or `stats settings` reply. */
function stat(reply: string, name: string): string | undefined {
  return new RegExp(`^STAT ${name} (.*)\r$`, 'm').exec(reply)?.[1];
}

/** Resolves once the server's output contains `text` (its log is the readiness signal), or fails after the timeout. */
async function outputShows(server: RunningServer, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!server.output().includes(text)) {
    if (Date.now() > deadline) assert.fail(`the server never logged ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves true when the server closes the socket after `bytes`, with nothing written back. */
async function closesSilently(port: number, bytes: Buffer | string): Promise<{ closed: boolean; received: string }> {
  const socket = await openSocket(port);
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.write(bytes);
  const closed = await Promise.race([
    once(socket, 'close').then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8000)),
  ]);
  socket.destroy();
  return { closed, received };
}

function runTool(tool: string, port: number, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(tool, [`--servers=127.0.0.1:${port}`, ...args], { timeout: 10_000, cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: stdout + stderr });
    });
  });
}

describe('text authentication (-Y)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startPhase('phase4', ['-Y', usersFile, '--auth-delay-ms', '300', '--auth-delay-max-ms', '2000', '--log-level', 'debug']);
  });
  after(() => server.stop());

  test('auth_cmds and auth_errors count the logins; settings say what is on', async () => {
    const socket = await openSocket(server.port);
    try {
      assert.equal(await askUntil(socket, login('alice', WRONG), '\r\n'), 'CLIENT_ERROR authentication failure\r\n');
      assert.equal(await askUntil(socket, login('alice', PASSWORD), '\r\n'), 'STORED\r\n');
      const stats = await askUntil(socket, 'stats\r\n', 'END\r\n');
      assert.equal(stat(stats, 'auth_cmds'), '2');
      assert.equal(stat(stats, 'auth_errors'), '1');
      const settings = await askUntil(socket, 'stats settings\r\n', 'END\r\n');
      assert.equal(stat(settings, 'auth_enabled_ascii'), usersFile);
      assert.equal(stat(settings, 'auth_enabled_sasl'), 'no');
      assert.equal(stat(settings, 'binding_protocol'), 'ascii');
    } finally {
      socket.destroy();
    }
  });

  test('repeated failures from one address wait longer and longer, on any connection', async () => {
    // The previous test failed once from 127.0.0.1: the next failures wait 300 ms, then 600 ms.
    const first = await openSocket(server.port);
    const second = await openSocket(server.port);
    try {
      let started = performance.now();
      assert.equal(await askUntil(first, login('alice', WRONG), '\r\n'), 'CLIENT_ERROR authentication failure\r\n');
      const waited1 = performance.now() - started;
      started = performance.now();
      assert.equal(await askUntil(second, login('mallory', WRONG), '\r\n'), 'CLIENT_ERROR authentication failure\r\n');
      const waited2 = performance.now() - started;
      assert.ok(waited1 >= 290, `the second failure from this address was answered after ${waited1.toFixed(0)} ms, not 300`);
      assert.ok(waited2 >= 590, `the third failure (another connection) was answered after ${waited2.toFixed(0)} ms, not 600`);
      // While a failure is held, nothing behind it is served: the refusal comes after the delay.
      started = performance.now();
      assert.equal(await askUntil(first, `${login('alice', WRONG)}get k\r\n`, 'unauthenticated\r\n'), 'CLIENT_ERROR authentication failure\r\nCLIENT_ERROR unauthenticated\r\n');
      assert.ok(performance.now() - started >= 1190);
      // A good login is never held.
      assert.equal(await askUntil(first, login('alice', PASSWORD), '\r\n'), 'STORED\r\n');
    } finally {
      first.destroy();
      second.destroy();
    }
    await outputShows(server, '"failures":4');
  });

  test('a binary client on a server without -S is hung up on at once', async () => {
    const version = Buffer.alloc(24);
    version[0] = 0x80;
    version[1] = 0x0b;
    assert.deepEqual(await closesSilently(server.port, version), { closed: true, received: '' });
  });

  test('SIGHUP reads the users file again; connections already in stay in', async () => {
    const before = await openSocket(server.port);
    try {
      assert.equal(await askUntil(before, login('alice', PASSWORD), '\r\n'), 'STORED\r\n');
      writeFileSync(usersFile, `carol:${PASSWORD}-2\n`);
      process.kill(server.pid, 'SIGHUP');
      await outputShows(server, 'auth files reloaded');
      assert.equal(await askUntil(before, 'set k 0 0 1\r\nv\r\n', '\r\n'), 'STORED\r\n', 'a session logged in before the reload keeps its login');
      const after = await openSocket(server.port);
      try {
        assert.equal(await askUntil(after, login('carol', `${PASSWORD}-2`), '\r\n'), 'STORED\r\n');
      } finally {
        after.destroy();
      }
      // A file that does not parse leaves the users as they were.
      writeFileSync(usersFile, 'no colon on this line\n');
      process.kill(server.pid, 'SIGHUP');
      await outputShows(server, 'auth files not reloaded');
      const again = await openSocket(server.port);
      try {
        assert.equal(await askUntil(again, login('carol', `${PASSWORD}-2`), '\r\n'), 'STORED\r\n');
      } finally {
        again.destroy();
      }
    } finally {
      before.destroy();
      writeFileSync(usersFile, `alice:${PASSWORD}\n`);
    }
  });

  test('the log names users and addresses, and holds no password', async () => {
    await outputShows(server, '"msg":"authenticated"');
    const log = server.output();
    assert.match(log, /"user":"mallory"/);
    assert.match(log, /"peer":"127\.0\.0\.1"/);
    assert.ok(!log.includes(PASSWORD) && !log.includes(WRONG), 'a password reached the log');
  });

  test('a shutdown drains a connection halfway through its login at once, and one held after a failure', async () => {
    const half = await openSocket(server.port);
    const held = await openSocket(server.port);
    try {
      half.write('set auth 0 0 30\r\nalice pw');
      // The address has failed often by now: this failure's answer is held for 2 s (the maximum).
      held.write(login('alice', WRONG));
      await outputShows(server, '"delayMs":2000');
      // Read, as clients do, so each sees the server's FIN and closes its side.
      half.resume();
      held.resume();
      const closed = Promise.all([once(half, 'close'), once(held, 'close')]);
      // The grace only bounds a hang: a drained server exits in milliseconds.
      assert.equal(await server.stop(20_000), 0, server.output().slice(-2000));
      await closed;
      // Both drained, none forced at the 10 s deadline: the door closed them when asked.
      assert.match(server.output(), /shut down: \d+ connections drained, 0 forced/);
    } finally {
      half.destroy();
      held.destroy();
    }
  });
});

describe('binary SASL PLAIN (-S)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startPhase('phase4', ['--workers', '2', '-S', '--sasl-file', usersFile, '--auth-delay-ms', '0', '--auth-timeout', '2', '--log-level', 'debug']);
  });
  after(() => server.stop());

  test('memjs logs in with SASL PLAIN and works; a wrong password is refused', async () => {
    const good = memjs.Client.create(`127.0.0.1:${server.port}`, { username: 'alice', password: PASSWORD, retries: 0, timeout: 5 });
    try {
      assert.equal(await good.set('memjs-auth', 'hello', {}), true);
      assert.equal((await good.get('memjs-auth')).value?.toString(), 'hello');
    } finally {
      good.close();
    }
    const bad = memjs.Client.create(`127.0.0.1:${server.port}`, { username: 'alice', password: WRONG, retries: 0, timeout: 5 });
    try {
      await assert.rejects(bad.get('memjs-auth'));
    } finally {
      bad.close();
    }
  });

  test('libmemcached logs in with SASL: memcstat, memccp and memccat', { skip: libmemcachedUnavailable() }, async () => {
    const credentials = ['--binary', '--username=alice', `--password=${PASSWORD}`];
    const stat = await runTool('memcstat', server.port, credentials);
    assert.equal(stat.code, 0, stat.out);
    assert.match(stat.out, /^\s+auth_cmds: [1-9]\d*$/m);
    writeFileSync(join(dir, 'copied.txt'), 'copied over SASL\n');
    const copy = await runTool('memccp', server.port, [...credentials, join(dir, 'copied.txt')]);
    assert.equal(copy.code, 0, copy.out);
    const cat = await runTool('memccat', server.port, [...credentials, 'copied.txt']);
    assert.equal(cat.code, 0, cat.out);
    assert.equal(cat.out, 'copied over SASL\n\n');
    const refused = await runTool('memcstat', server.port, ['--binary', '--username=alice', `--password=${WRONG}`]);
    assert.match(refused.out, /AUTHENTICATION FAILURE/);
  });

  test('a client that has not logged in by --auth-timeout is disconnected', async () => {
    // Half a header, then nothing: a client that dribbles or stalls before its login.
    assert.deepEqual(await closesSilently(server.port, Buffer.from([0x80, 0x21, 0x00])), { closed: true, received: '' });
    await outputShows(server, 'no login in time');
  });

  test('a text client on a server without -Y is hung up on at once', async () => {
    assert.deepEqual(await closesSilently(server.port, 'get k\r\n'), { closed: true, received: '' });
  });

  test('settings say SASL is on; the log holds no password', async () => {
    const socket = await openSocket(server.port);
    try {
      const reply = await askUntil(socket, Buffer.from(`\x80\x21\x00\x05\x00\x00\x00\x00\x00\x00\x00${String.fromCharCode(12 + PASSWORD.length)}\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00PLAIN\x00alice\x00${PASSWORD}`, 'latin1'), 'Authenticated');
      assert.equal(reply.charCodeAt(7), 0, 'status 0');
    } finally {
      socket.destroy();
    }
    await outputShows(server, '"msg":"authentication failed"');
    const log = server.output();
    assert.ok(!log.includes(PASSWORD) && !log.includes(WRONG), 'a password reached the log');
  });
});
