/**
 * A real Prometheus server (Debian's) scrapes a running phase 3 server's metrics listener every
 * second, and the series that clients' commands produced are read back from its query API.
 * Bounded: every wait has a deadline, readiness comes from the servers' own signals (phase 3's
 * ready line, Prometheus' /-/ready), and both children are stopped however the test ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../shared/testing/free-port.ts';
import { startPhase } from '../../../../shared/testing/server-process.ts';
import { askUntil as ask, openSocket as open } from '../../../../shared/testing/line-client.ts';
import { PROMETHEUS, prometheusMissing } from './promtool.ts';

/** Prometheus starts in 1–3 s here; its first scrapes follow within a few scrape intervals. */
const DEADLINE_MS = 30_000;
/** How often readiness and the query API are asked again: a poll, not a fixed sleep. */
const POLL_MS = 200;

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

test('a real Prometheus scrapes phase 3 and answers queries over what its clients did', { timeout: 60_000, skip: prometheusMissing() }, async () => {
  const server = await startPhase('phase3', ['--metrics-port', '0']);
  const match = /metrics on ([^\s:]+):(\d+)/.exec(server.output());
  assert.ok(match, `phase 3 printed no metrics address: ${server.output().slice(0, 300)}`);
  const target = { address: { host: match[1]!, port: Number(match[2]) } };
  const client = await open(server.port);
  for (let i = 0; i < 5; i++) await ask(client, `set key:${i} 0 0 7\r\nvalue ${i}\r\n`, '\r\n');
  await ask(client, 'get key:1\r\n', 'END\r\n');
  await ask(client, 'get missing\r\n', 'END\r\n');

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
    const query = (expression: string) => waitFor(`a value for ${expression}`, deadline, () => queryValue(base, expression), said);
    assert.equal(await query('up{job="kvlab"}'), 1, 'Prometheus scraped the target');
    assert.equal(await query('memcached_up'), 1);
    assert.equal(await query('memcached_current_items'), 5);
    assert.equal(await query('memcached_commands_total{command="get",status="hit"}'), 1);
    assert.equal(await query('memcached_commands_total{command="get",status="miss"}'), 1);
    assert.equal(await query('memcached_current_connections'), 1);
    assert.equal(await query('memcached_version{version="1.6.18-kvlab-phase3"}'), 1);
    assert.equal(await query('kvlab_request_duration_seconds_count{command="get",protocol="text"}'), 2);
    assert.equal(await query('kvlab_requests_total{command="set",protocol="text",outcome="ok"}'), 5);
    // A get takes microseconds: its median must come out between 100 ns and 10 ms.
    const median = await query('histogram_quantile(0.5, kvlab_request_duration_seconds_bucket{command="get"})');
    assert.ok(median > 1e-7 && median < 0.01, `median ${median} s`);
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    process.off('exit', killOnExit);
    client.destroy();
    assert.equal(await server.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
