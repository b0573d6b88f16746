/**
 * The metrics listener over real loopback HTTP: each endpoint, the refusals (404, 405, a body),
 * readiness following its callback, a failing render, and a close() that does not wait for
 * keep-alive connections.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { startMetricsServer, type MetricsServer } from '../metrics-server.ts';

const T = { timeout: 20_000 };
const silent = { info: () => undefined, warn: () => undefined };

/** One request; resolves with status, content type and body. */
function fetchText(server: MetricsServer, path: string, method = 'GET', body?: string, agent?: Agent): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: server.address.host, port: server.address.port, path, method, agent, timeout: 5000,
      headers: body === undefined ? {} : { 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }));
    });
    req.once('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.once('error', reject);
    req.end(body);
  });
}

describe('metrics server', () => {
  test('/metrics, /healthz and /readyz answer; /readyz follows ready()', T, async () => {
    let ready = false;
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, render: () => 'memcached_up 1\n', ready: () => ready, log: silent });
    try {
      assert.ok(server.address.port > 0);
      const metrics = await fetchText(server, '/metrics');
      assert.deepEqual([metrics.status, metrics.type, metrics.body], [200, 'text/plain; version=0.0.4; charset=utf-8', 'memcached_up 1\n']);
      assert.equal((await fetchText(server, '/healthz')).status, 200);
      assert.equal((await fetchText(server, '/readyz')).status, 503, 'starting');
      ready = true;
      assert.equal((await fetchText(server, '/readyz')).status, 200, 'ready');
      ready = false;
      assert.equal((await fetchText(server, '/readyz')).status, 503, 'draining');
      assert.equal((await fetchText(server, '/metrics?x=1')).status, 200, 'a query string is ignored');
    } finally {
      await server.close();
    }
  });

  test('other paths are 404, other methods 405, a request body 413', T, async () => {
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, render: () => '', ready: () => true, log: silent });
    try {
      assert.equal((await fetchText(server, '/')).status, 404);
      assert.equal((await fetchText(server, '/metricsx')).status, 404);
      assert.equal((await fetchText(server, '/metrics', 'POST', 'x=1')).status, 405);
      assert.equal((await fetchText(server, '/metrics', 'HEAD')).status, 405);
      assert.equal((await fetchText(server, '/metrics', 'GET', 'a body')).status, 413);
    } finally {
      await server.close();
    }
  });

  test('a render that throws gives 500 and a warning; the server carries on', T, async () => {
    const warnings: string[] = [];
    let fail = true;
    const server = await startMetricsServer({
      host: '127.0.0.1', port: 0, ready: () => true,
      render: () => { if (fail) throw new Error('boom'); return 'ok 1\n'; },
      log: { info: () => undefined, warn: (_: unknown, message?: string) => { warnings.push(String(message)); } },
    });
    try {
      assert.equal((await fetchText(server, '/metrics')).status, 500);
      assert.equal(warnings.length, 1);
      fail = false;
      assert.equal((await fetchText(server, '/metrics')).status, 200);
    } finally {
      await server.close();
    }
  });

  test('close() resolves promptly with a keep-alive connection open, and the port is released', T, async () => {
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, render: () => '', ready: () => true, log: silent });
    const agent = new Agent({ keepAlive: true });
    try {
      await fetchText(server, '/healthz', 'GET', undefined, agent);
      const started = Date.now();
      await server.close();
      // The keep-alive timeout is 5 s: closing must not wait for it.
      assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
      await assert.rejects(fetchText(server, '/healthz'), /ECONNREFUSED/);
    } finally {
      agent.destroy();
    }
  });

  test('a port in use rejects the start', T, async () => {
    const first = await startMetricsServer({ host: '127.0.0.1', port: 0, render: () => '', ready: () => true, log: silent });
    try {
      await assert.rejects(startMetricsServer({ host: '127.0.0.1', port: first.address.port, render: () => '', ready: () => true, log: silent }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
