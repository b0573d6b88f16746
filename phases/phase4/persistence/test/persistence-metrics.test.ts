/**
 * Persistence on /metrics: a phase 4 server with --persist --fsync always and a metrics port
 * shows the log's records and size and the fsync histogram after a write, and the page (with
 * phase 3's families before it) passes `promtool check metrics` where Debian's prometheus is
 * installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askUntil, openSocket } from '../../../../shared/testing/line-client.ts';
import { startPhase } from '../../../../shared/testing/server-process.ts';
import { prometheusMissing, promtoolCheck } from '../../../phase3/metrics/test/promtool.ts';
import { PersistenceStats } from '../persistence-stats.ts';
import { persistenceMetrics } from '../persistence-metrics.ts';

test('the fsync histogram, log size and records are on /metrics', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-metrics-'));
  const server = await startPhase('phase4', ['--workers', '0', '--persist', dir, '--fsync', 'always', '--metrics-port', '0'], { readyTimeoutMs: 60_000 });
  try {
    const port = Number(/metrics on 127\.0\.0\.1:(\d+)/.exec(server.output())?.[1]);
    assert.ok(port > 0, server.output());
    const socket = await openSocket(server.port);
    assert.equal(await askUntil(socket, 'set k 0 0 5\r\nhello\r\n', '\r\n'), 'STORED\r\n');
    socket.destroy();
    const page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(page, /^kvlab_persist_records_total 1$/m);
    assert.match(page, /^kvlab_persist_log_bytes [1-9]\d*$/m);
    // One fsync for the one write (always): counted in the histogram's +Inf bucket and _count.
    assert.match(page, /^kvlab_persist_fsync_duration_seconds_count [1-9]\d*$/m);
    assert.match(page, /^kvlab_persist_fsync_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    assert.match(page, /^memcached_up 1$/m, 'phase 3\'s families are still there');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('promtool check metrics accepts the persistence families', { timeout: 20_000, skip: prometheusMissing() }, async () => {
  const stats = new PersistenceStats();
  stats.fsyncLatency.record(250_000);
  stats.records = 3;
  const page = persistenceMetrics(stats);
  const { code, output } = await promtoolCheck(page);
  assert.equal(code, 0, `promtool said:\n${output}\n--- page ---\n${page}`);
});
