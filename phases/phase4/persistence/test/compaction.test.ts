/**
 * Compaction while serving: with a tiny --snapshot-log-size, writes push the log past it, a
 * snapshot is written in the background while the server keeps answering, the segments it covers
 * are removed, and after a kill -9 the restart finds every acknowledged write in the snapshot plus
 * the log written since.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askUntil, openSocket } from '../../../../shared/testing/line-client.ts';
import { startPhase } from '../../../../shared/testing/server-process.ts';

const ARGS = (dir: string) => ['--workers', '0', '--persist', dir, '--fsync', 'always', '--snapshot-log-size', '4k'];

test('a snapshot compacts the log while the server serves, and a crash after it loses nothing', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-compact-'));
  try {
    const server = await startPhase('phase4', ARGS(dir), { readyTimeoutMs: 60_000 });
    const socket = await openSocket(server.port);
    const value = 'x'.repeat(200);
    for (let i = 0; i < 40; i++) assert.equal(await askUntil(socket, `set k${i} 0 0 ${value.length}\r\n${value}\r\n`, '\r\n'), 'STORED\r\n');
    // The size is checked once a second; keep serving (and writing) until a snapshot is counted.
    let snapshots = 0;
    for (let i = 40; snapshots === 0; i++) {
      assert.ok(i < 4000, 'no snapshot was written');
      assert.equal(await askUntil(socket, `set k${i} 0 0 1\r\ny\r\n`, '\r\n'), 'STORED\r\n');
      const stats = await askUntil(socket, 'stats\r\n', 'END\r\n');
      snapshots = Number(/STAT persist_snapshots (\d+)/.exec(stats)?.[1]);
    }
    assert.equal(await askUntil(socket, 'set after 0 0 4\r\nlate\r\n', '\r\n'), 'STORED\r\n');
    const files = readdirSync(dir).sort();
    assert.ok(files.some((name) => name.startsWith('snapshot-')), files.join(' '));
    assert.ok(!files.includes('log-0000000000.kvl'), `the covered segment is gone: ${files.join(' ')}`);
    socket.destroy();
    process.kill(server.pid, 'SIGKILL');
    await server.exited;

    const again = await startPhase('phase4', ARGS(dir), { readyTimeoutMs: 60_000 });
    try {
      const check = await openSocket(again.port);
      assert.equal(await askUntil(check, 'get k0 k39 after\r\n', 'END\r\n'),
        `VALUE k0 0 200\r\n${value}\r\nVALUE k39 0 200\r\n${value}\r\nVALUE after 0 4\r\nlate\r\nEND\r\n`);
      check.destroy();
    } finally {
      await again.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
