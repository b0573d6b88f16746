/**
 * Scaling out behind an existing engine: twemproxy (Debian's `nutcracker`) in front of three
 * phase 4 servers, with ketama distribution and auto_eject_hosts — the configuration in
 * docs/phase4-scaling.md. Through the proxy, the commands a client uses give exact results; every
 * key lives on exactly one backend and every backend holds a fair share; and when one backend is
 * killed, the keys of the others are untouched while the dead one's keys miss (or, at the very
 * first request, fail) and then live again on the survivors. Skipped, with the reason, where
 * nutcracker is not installed (CI installs it).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../shared/testing/free-port.ts';
import { startPhase, type RunningServer } from '../../../shared/testing/server-process.ts';
import { askUntil as ask, openSocket as open } from '../../../shared/testing/line-client.ts';

const NUTCRACKER = '/usr/sbin/nutcracker';
const BACKENDS = 3;
const KEYS = 300;
/** Bound on nutcracker's start (it prints no ready line: its port is polled). */
const START_WITHIN_MS = 15_000;

/** The proxy's configuration, as docs/phase4-scaling.md gives it, over these backend ports. */
function proxyConfig(listen: number, backends: readonly number[]): string {
  return [
    'kvlab:',
    `  listen: 127.0.0.1:${listen}`,
    // md5 spreads short keys evenly; twemproxy's default, fnv1a_64, gave 100/290/210 of 600 here.
    '  hash: md5',
    '  distribution: ketama',
    '  timeout: 2000',
    '  auto_eject_hosts: true',
    '  server_failure_limit: 1',
    '  server_retry_timeout: 60000',
    '  servers:',
    ...backends.map((port, i) => `   - 127.0.0.1:${port}:1 kvlab${i + 1}`),
    '',
  ].join('\n');
}

/** Resolves once `port` accepts a connection, polling: nutcracker has no other readiness signal. */
async function accepting(port: number, proxy: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_WITHIN_MS;
  for (;;) {
    assert.equal(proxy.exitCode, null, `nutcracker exited: ${output()}`);
    try {
      const socket = await open(port);
      socket.destroy();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`nutcracker never accepted on ${port}: ${output()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const key = (i: number) => `user:${i}`;
const value = (i: number) => `v${i}-${'x'.repeat(i % 40)}`;

describe('twemproxy in front of three phase 4 servers', { skip: existsSync(NUTCRACKER) ? false : `${NUTCRACKER} not installed (Debian package nutcracker)` }, () => {
  test('exact results through the proxy, keys spread over every backend, a killed backend ejected', { timeout: 90_000 }, async () => {
    const servers: RunningServer[] = await Promise.all(Array.from({ length: BACKENDS }, () => startPhase('phase4')));
    const dir = mkdtempSync(join(tmpdir(), 'kvlab-twemproxy-'));
    const sockets: Socket[] = [];
    let proxy: ChildProcess | null = null;
    try {
      const listen = await freePort();
      writeFileSync(join(dir, 'nutcracker.yml'), proxyConfig(listen, servers.map((server) => server.port)));
      proxy = spawn(NUTCRACKER, ['-c', join(dir, 'nutcracker.yml'), '-s', String(await freePort()), '-a', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      proxy.stdout!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4096)));
      proxy.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4096)));
      await accepting(listen, proxy, () => log);
      const client = await open(listen);
      sockets.push(client);

      // Storage, one request at a time and then pipelined with noreply (twemproxy needs noreply honoured).
      for (let i = 0; i < KEYS / 2; i++) assert.equal(await ask(client, `set ${key(i)} ${i} 0 ${value(i).length}\r\n${value(i)}\r\n`, '\r\n'), 'STORED\r\n');
      let pipelined = '';
      for (let i = KEYS / 2; i < KEYS; i++) pipelined += `set ${key(i)} ${i} 0 ${value(i).length} noreply\r\n${value(i)}\r\n`;
      assert.equal(await ask(client, `${pipelined}get ${key(KEYS - 1)}\r\n`, 'END\r\n'), `VALUE ${key(KEYS - 1)} ${KEYS - 1} ${value(KEYS - 1).length}\r\n${value(KEYS - 1)}\r\nEND\r\n`);

      // A multi-get across every shard comes back whole and in the order asked.
      const asked = Array.from({ length: 60 }, (_, n) => (n * 7) % KEYS);
      const expected = asked.map((i) => `VALUE ${key(i)} ${i} ${value(i).length}\r\n${value(i)}\r\n`).join('') + 'END\r\n';
      assert.equal(await ask(client, `get ${asked.map(key).join(' ')}\r\n`, 'END\r\n'), expected);

      // Counters, delete, and a miss.
      assert.equal(await ask(client, 'set hits 0 0 2\r\n40\r\n', '\r\n'), 'STORED\r\n');
      assert.equal(await ask(client, 'incr hits 2\r\n', '\r\n'), '42\r\n');
      assert.equal(await ask(client, 'decr hits 50\r\n', '\r\n'), '0\r\n');
      assert.equal(await ask(client, `delete ${key(3)}\r\n`, '\r\n'), 'DELETED\r\n');
      assert.equal(await ask(client, `get ${key(3)}\r\n`, 'END\r\n'), 'END\r\n');

      // Each key on exactly one backend; each backend a fair share (ketama with equal weights: about a third).
      const holders = new Map<number, number>();
      for (const [b, server] of servers.entries()) {
        const direct = await open(server.port);
        sockets.push(direct);
        const reply = await ask(direct, `get ${Array.from({ length: KEYS }, (_, i) => key(i)).join(' ')}\r\n`, 'END\r\n');
        for (const match of reply.matchAll(/^VALUE user:(\d+) /gm)) {
          const i = Number(match[1]);
          assert.equal(holders.get(i), undefined, `${key(i)} is on two backends`);
          holders.set(i, b);
        }
      }
      assert.equal(holders.size, KEYS - 1, 'every stored key (all but the deleted one) is on some backend');
      for (let b = 0; b < BACKENDS; b++) {
        const share = [...holders.values()].filter((holder) => holder === b).length / holders.size;
        assert.ok(share > 0.15, `backend ${b + 1} holds ${(share * 100).toFixed(0)} % of the keys`);
      }

      // Kill one backend: twemproxy ejects it (server_failure_limit 1) and its keys map to the others.
      const dead = 1;
      process.kill(servers[dead]!.pid, 'SIGKILL');
      await servers[dead]!.exited;
      const lost = [...holders].filter(([, b]) => b === dead).map(([i]) => i);
      const kept = [...holders].filter(([, b]) => b !== dead).map(([i]) => i);
      for (const i of lost) {
        // The first request may still be routed to the dead backend before the proxy has seen it
        // go; from then on it is ejected and the key simply misses.
        let reply = await ask(client, `get ${key(i)}\r\n`, '\r\n');
        if (reply.startsWith('SERVER_ERROR')) reply = await ask(client, `get ${key(i)}\r\n`, 'END\r\n');
        assert.equal(reply, 'END\r\n', `${key(i)} after its backend died`);
      }
      for (const i of kept) {
        assert.equal(await ask(client, `get ${key(i)}\r\n`, 'END\r\n'), `VALUE ${key(i)} ${i} ${value(i).length}\r\n${value(i)}\r\nEND\r\n`, `${key(i)} on a live backend`);
      }
      for (const i of lost.slice(0, 20)) {
        assert.equal(await ask(client, `set ${key(i)} 0 0 1\r\nz\r\n`, '\r\n'), 'STORED\r\n');
        assert.equal(await ask(client, `get ${key(i)}\r\n`, 'END\r\n'), `VALUE ${key(i)} 0 1\r\nz\r\nEND\r\n`);
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      if (proxy && proxy.exitCode === null) {
        proxy.kill('SIGTERM');
        await once(proxy, 'exit');
      }
      await Promise.all(servers.map((server) => server.stop()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
