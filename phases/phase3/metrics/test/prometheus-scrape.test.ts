/**
 * A real Prometheus server (Debian's) scrapes the metrics listener every second, and the expected
 * series are read back from its query API. The page is built from a real shared store, the
 * server's counters and request metrics, as phase 3 builds it. Bounded: every wait has a deadline,
 * readiness comes from Prometheus' /-/ready, and the child is killed however the test ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outcome, Protocol } from '../../../../shared/protocol/request-observer.ts';
import type { Stat } from '../../../../shared/protocol/server-info.ts';
import { basicServerInfo } from '../../../../shared/runtime/basic-server-info.ts';
import { ServerCounters } from '../../../../shared/runtime/server-counters.ts';
import { SharedStore } from '../../../../shared/store/shared-store.ts';
import { startMetricsServer } from '../metrics-server.ts';
import { renderMetrics } from '../prometheus-exposition.ts';
import { RequestMetrics } from '../request-metrics.ts';
import { PROMETHEUS, prometheusMissing } from './promtool.ts';

/** Prometheus starts in 1–3 s here; its first scrapes follow within a few scrape intervals. */
const DEADLINE_MS = 30_000;
/** How often readiness and the query API are asked again: a poll, not a fixed sleep. */
const POLL_MS = 200;

/** A free loopback port: bind port 0, read it, let it go (Prometheus cannot listen on port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Asks `probe` every POLL_MS until it returns a value, or fails at the deadline with `what`. */
async function waitFor<T>(what: string, deadline: number, probe: () => Promise<T | undefined>, output: () => string): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${DEADLINE_MS} ms\n--- prometheus said ---\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A query's single value, or undefined while Prometheus has no such series yet. */
async function queryValue(base: string, query: string): Promise<number | undefined> {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(2000) });
  const body = (await response.json()) as { status: string; data?: { result: { value: [number, string] }[] } };
  const first = body.data?.result[0];
  return body.status === 'success' && first !== undefined ? Number(first.value[1]) : undefined;
}

test('a real Prometheus scrapes /metrics and answers queries over the series', { timeout: 60_000, skip: prometheusMissing() }, async () => {
  const store = SharedStore.create({ memoryBytes: 1024 * 1024 });
  for (let i = 0; i < 5; i++) store.store('set', `key:${i}`, 0, 0, Buffer.from(`value ${i}`));
  store.get('key:1');
  store.get('missing');
  const counters = new ServerCounters();
  counters.connectionOpened();
  const info = basicServerInfo({ version: '1.6.18-kvlab-phase3', startedAtMs: Date.now(), maxConnections: 1024, threads: 1, settings: [] }, counters);
  const metrics = RequestMetrics.create();
  for (let i = 1; i <= 100; i++) metrics.observe('get', Protocol.Text, Outcome.Ok, i * 1000);
  const render = () => {
    const stats: Stat[] = [...info.stats(), ...Object.entries(store.stats())];
    return renderMetrics({ stats, settings: info.settings(), requests: metrics.snapshot() });
  };
  const target = await startMetricsServer({ host: '127.0.0.1', port: 0, render, ready: () => true, log: { info: () => undefined, warn: () => undefined } });

  const dir = mkdtempSync(join(tmpdir(), 'kvlab-prometheus-'));
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
    'scrape_configs:', '  - job_name: kvlab', '    static_configs:', `      - targets: ['${target.address.host}:${target.address.port}']`, '',
  ].join('\n'));
  const child = spawn(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const said = () => output;
  try {
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + DEADLINE_MS;
    await waitFor('Prometheus ready', deadline, async () => ((await fetch(`${base}/-/ready`, { signal: AbortSignal.timeout(2000) })).ok ? true : undefined), said);
    const ask = (query: string) => waitFor(`a value for ${query}`, deadline, () => queryValue(base, query), said);
    assert.equal(await ask('up{job="kvlab"}'), 1, 'Prometheus scraped the target');
    assert.equal(await ask('memcached_up'), 1);
    assert.equal(await ask('memcached_current_items'), 5);
    assert.equal(await ask('memcached_commands_total{command="get",status="hit"}'), 1);
    assert.equal(await ask('memcached_commands_total{command="get",status="miss"}'), 1);
    assert.equal(await ask('memcached_current_connections'), 1);
    assert.equal(await ask('memcached_version{version="1.6.18-kvlab-phase3"}'), 1);
    assert.equal(await ask('kvlab_request_duration_seconds_count{command="get",protocol="text"}'), 100);
    assert.equal(await ask('kvlab_requests_total{command="get",protocol="text",outcome="ok"}'), 100);
    // Values 1 … 100 µs, true median 50 µs. Prometheus interpolates inside the le bucket that holds
    // it; 50 µs itself counts just above its bound (see duration-buckets.ts), so about 51 µs.
    const median = await ask('histogram_quantile(0.5, kvlab_request_duration_seconds_bucket{command="get"})');
    assert.ok(median > 0.000045 && median < 0.000055, `median ${median} s`);
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    process.off('exit', killOnExit);
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
