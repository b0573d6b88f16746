/**
 * With authentication on (`-Y`), the rate limit follows the user, not the address: two
 * connections from two addresses logged in as one user spend from one bucket, while another user
 * keeps a bucket of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { startPhase } from '../../../../shared/testing/server-process.ts';
import { askUntil } from '../../../../shared/testing/line-client.ts';
import { openFrom } from './edge-clients.ts';

/** Logs in with memcached's text handshake. */
async function login(socket: Socket, user: string, password: string): Promise<void> {
  const token = `${user} ${password}`;
  assert.equal(await askUntil(socket, `set login 0 0 ${token.length}\r\n${token}\r\n`, '\r\n'), 'STORED\r\n');
}

/** Sends `count` requests at once; resolves with the reply lines. */
async function pipelined(socket: Socket, count: number): Promise<string[]> {
  let all = await askUntil(socket, 'mn\r\n'.repeat(count), '\r\n');
  while (all.split('\r\n').length - 1 < count) all += await askUntil(socket, '', '\r\n');
  return all.split('\r\n').slice(0, count);
}

test('logged in as one user, two addresses share one bucket; another user has its own', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-edge-user-'));
  const users = join(dir, 'users');
  writeFileSync(users, 'alice:secret\nbob:hunter2\n');
  // 10 a second: a token comes back every 100 ms, far slower than the few ms between the requests below.
  const server = await startPhase('phase4', ['-Y', users, '--rate-limit', '10', '--rate-burst', '5', '--rate-limit-mode', 'reject']);
  try {
    const first = await openFrom(server.port, '127.0.0.11');
    const second = await openFrom(server.port, '127.0.0.12');
    const other = await openFrom(server.port, '127.0.0.13');
    await login(first, 'alice', 'secret');
    await login(second, 'alice', 'secret');
    await login(other, 'bob', 'hunter2');
    assert.deepEqual(await pipelined(first, 5), Array(5).fill('MN'), 'alice spends her burst of 5');
    const fromSecond = await pipelined(second, 3);
    assert.ok(fromSecond.includes('SERVER_ERROR slow down'), `alice from another address finds her bucket empty: ${fromSecond.join(', ')}`);
    assert.deepEqual(await pipelined(other, 3), Array(3).fill('MN'), 'bob has a bucket of his own');
    for (const socket of [first, second, other]) socket.destroy();
  } finally {
    assert.equal(await server.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
