/**
 * Phase 3's promises beyond the protocol, in both threading modes: the metrics page counts what
 * clients did (commands and latency histograms from every thread), health and readiness answer
 * over HTTP, readiness turns 503 while a shutdown drains, and SIGHUP applies a new log level from
 * the config file without a restart.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startPhase, type RunningServer } from '../../../shared/testing/server-process.ts';
import { askUntil as ask, openSocket as open } from '../../../shared/testing/line-client.ts';

/** A bound on anything the server does on its own. */
const WITHIN_MS = 15_000;

/** The metrics port from the ready line (`…, metrics on 127.0.0.1:PORT)`). */
function metricsPort(server: RunningServer): number {
  const match = /metrics on [^\s:]+:(\d+)/.exec(server.output());
  assert.ok(match, `no metrics address in the ready line: ${server.output().slice(0, 300)}`);
  return Number(match[1]);
}

async function http(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(WITHIN_MS) });
  return { status: response.status, body: await response.text() };
}

/** Resolves once the server's output matches `pattern`, bounded. */
async function outputMatches(server: RunningServer, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + WITHIN_MS;
  while (!pattern.test(server.output())) {
    assert.ok(Date.now() < deadline, `the server never logged ${pattern}; its output ends: ${server.output().slice(-500)}`);
    // The output of another process: polled, there is no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function bytesWritten(socket: Socket): Promise<number> {
  return Number(/STAT bytes_written (\d+)/.exec(await ask(socket, 'stats\r\n', 'END\r\n'))?.[1]);
}

/** Polls `done` until it holds, bounded: a counter inside another process gives no event to wait for. */
async function until(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WITHIN_MS;
  while (!(await done())) {
    assert.ok(Date.now() < deadline, 'the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The value of one sample line of the metrics page, e.g. `memcached_commands_total{command="get",status="hit"}`. */
function sample(page: string, series: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `no sample ${series} on the metrics page`);
  return Number(line.slice(series.length + 1));
}

for (const workers of ['0', '2']) describe(`phase 3 with --workers ${workers}`, () => {
  test('metrics count what clients did; stats conns lists the client; health and readiness answer; readiness is 503 while draining', { timeout: 60_000 }, async () => {
    const server = await startPhase('phase3', ['--workers', workers, '--metrics-port', '0', '--shutdown-timeout', '3']);
    const sockets: Socket[] = [];
    try {
      const port = metricsPort(server);
      assert.equal((await http(port, '/healthz')).status, 200);
      assert.equal((await http(port, '/readyz')).status, 200);
      assert.equal((await http(port, '/nothing-here')).status, 404);

      const client = await open(server.port);
      sockets.push(client);
      assert.equal(await ask(client, 'set m 0 0 1\r\nx\r\n', '\r\n'), 'STORED\r\n');
      for (let i = 0; i < 5; i++) await ask(client, 'get m\r\n', 'END\r\n');
      await ask(client, 'get absent\r\n', 'END\r\n');
      // stats conns lists this client in both modes: with ring workers it executes in a worker,
      // which reads the loop thread's table from shared memory.
      const conns = await ask(client, 'stats conns\r\n', 'END\r\n');
      const row = new RegExp(`STAT (\\d+):addr tcp:127\\.0\\.0\\.1:${client.localPort}\r\n`).exec(conns);
      assert.ok(row, `stats conns lists the asking client:\n${conns}`);
      assert.match(conns, new RegExp(`STAT ${row[1]}:listen_addr tcp:127\\.0\\.0\\.1:${server.port}\r\n`));
      assert.match(conns, /STAT 0:state conn_listening\r\n/);

      const page = (await http(port, '/metrics')).body;
      assert.equal(sample(page, 'memcached_commands_total{command="get",status="hit"}'), 5);
      assert.equal(sample(page, 'memcached_commands_total{command="get",status="miss"}'), 1);
      assert.equal(sample(page, 'kvlab_request_duration_seconds_count{command="get",protocol="text"}'), 6);
      assert.equal(sample(page, 'kvlab_request_duration_seconds_bucket{command="get",protocol="text",le="+Inf"}'), 6);
      assert.ok(sample(page, 'memcached_current_connections') >= 1);

      // A client that never reads its replies keeps the drain from finishing until the deadline.
      const stuck = await open(server.port);
      sockets.push(stuck);
      stuck.pause();
      const written = await bytesWritten(client);
      stuck.write('get m\r\n'.repeat(2_000_000));
      // Signal only once the server is serving it, so it has replies it cannot deliver.
      await until(async () => (await bytesWritten(client)) > written + 2 * 1024 * 1024);
      const stopped = server.stop(WITHIN_MS);
      await outputMatches(server, /shutting down: draining connections/);
      assert.equal((await http(port, '/readyz')).status, 503, '/readyz while draining');
      assert.equal(await stopped, 0, 'exit status');
      assert.match(server.output(), /connections drained, [1-9]\d* forced/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.stop(500);
    }
  });
});

test('SIGHUP reloads the config file: a new log level applies at once, a new connection limit waits for a restart', { timeout: 40_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-phase3-'));
  const file = join(dir, 'kvlab.toml');
  writeFileSync(file, 'log-level = "info"\nslow-ms = 50\n');
  const server = await startPhase('phase3', ['--config', file]);
  try {
    writeFileSync(file, 'log-level = "debug"\nslow-ms = 50\nmax-connections = 500\n');
    process.kill(server.pid, 'SIGHUP');
    // The log line is JSON: the quotes around the values come escaped.
    await outputMatches(server, /configuration reloaded; changed: log-level \\"info\\" → \\"debug\\"/);
    assert.match(server.output(), /needs a restart: max-connections/);
    // At debug, a new connection is logged: the level really changed.
    const client = await open(server.port);
    client.destroy();
    await outputMatches(server, /connection opened/);
  } finally {
    assert.equal(await server.stop(WITHIN_MS), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with --enable-shutdown (memcached\'s -A), the shutdown command drains and exits 0; a bad mode is a client error', { timeout: 40_000 }, async () => {
  const server = await startPhase('phase3', ['-A']);
  try {
    const client = await open(server.port);
    assert.equal(await ask(client, 'shutdown later\r\n', '\r\n'), 'CLIENT_ERROR invalid shutdown mode\r\n');
    const closed = once(client, 'close');
    client.write('shutdown\r\n');
    await closed;
    assert.equal(await server.exited, 0, 'exit status after the shutdown command');
    assert.match(server.output(), /connections drained/);
  } finally {
    await server.stop(500);
  }
});

test('100,000 bad commands: every one answered, the log gets a few lines a second with the count of the rest', { timeout: 60_000 }, async () => {
  const server = await startPhase('phase3');
  try {
    const client = await open(server.port);
    const started = Date.now();
    const count = 100_000;
    const replies = await ask(client, 'bogus\r\n'.repeat(count) + 'version\r\n', '\r\nVERSION 1.6.18-kvlab-phase3\r\n');
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
    assert.equal(replies.split('ERROR\r\n').length - 1, count, 'an ERROR for every bad command');
    client.destroy();
    const lines = server.output().split('\n').filter((line) => line.includes('"msg":"protocol error'));
    // 5 a second (MAX_ERROR_LINES_PER_SECOND), over however long it took, plus one window's slack.
    assert.ok(lines.length >= 1 && lines.length <= 5 * (seconds + 1), `${lines.length} protocol-error lines in about ${seconds} s`);
  } finally {
    assert.equal(await server.stop(WITHIN_MS), 0);
  }
});

test('-s PATH (memcached\'s unix socket): served there instead of TCP with -a\'s permissions, a stale socket file replaced, the file gone after exit', { timeout: 40_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-unix-'));
  const path = join(dir, 'kvlab.sock');
  try {
    // The first round takes memcached's default mask (700), the second sets one with -a.
    const rounds = [
      { round: 'first', args: [], mode: 0o700 },
      { round: 'second, over the file a killed server left', args: ['-a', '660'], mode: 0o660 },
    ];
    for (const { round, args, mode } of rounds) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'phases/phase3/main.ts', '-s', path, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = once(child, 'exit');
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        const deadline = Date.now() + WITHIN_MS;
        while (!output.includes(`listening on unix:${path}`)) {
          assert.ok(Date.now() < deadline && child.exitCode === null, `${round} start: no ready line; output: ${output.slice(0, 500)}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const socket = connect({ path });
        await once(socket, 'connect');
        assert.equal(await ask(socket, 'version\r\n', '\r\n'), 'VERSION 1.6.18-kvlab-phase3\r\n');
        const settings = await ask(socket, 'stats settings\r\n', 'END\r\n');
        assert.match(settings, new RegExp(`STAT domain_socket ${path}\r\n`), 'stats settings names the socket');
        assert.match(settings, new RegExp(`STAT umask ${mode.toString(8)}\r\n`), 'stats settings names the mask');
        assert.equal((statSync(path).mode & 0o777).toString(8), mode.toString(8), `${round}: the socket file's permissions`);
        socket.destroy();
        if (round === 'first') {
          child.kill('SIGKILL');
          await exited;
          assert.ok(existsSync(path), 'a killed server leaves its socket file behind');
        } else {
          child.kill('SIGTERM');
          assert.equal((await exited)[0], 0, 'exit status after SIGTERM');
          assert.ok(!existsSync(path), 'the socket file is removed on a clean stop');
        }
      } finally {
        child.kill('SIGKILL');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
