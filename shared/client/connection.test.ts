// The connection: pipelined replies matched in order, timeouts, and every way a connection can end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memcachedInstalled, type RunningServer } from '../testing/server-process.ts';
import { startMemcached } from '../testing/server-process.ts';
import { ClientError } from './client-errors.ts';
import { Connection } from './connection.ts';
import { startFakeServer, versionOnly } from './test/fake-server.ts';

const isCode = (code: string) => (error: unknown) => error instanceof ClientError && error.code === code;

describe('connection against memcached', { timeout: 20_000, skip: memcachedInstalled() ? false : 'memcached is not installed' }, () => {
  let memcached: RunningServer;
  before(async () => {
    memcached = await startMemcached();
  });
  after(async () => {
    await memcached.stop();
  });

  test('500 pipelined requests get their own replies, in order', async () => {
    const connection = await Connection.connect({ port: memcached.port });
    const count = 500;
    const stores = [];
    for (let i = 0; i < count; i++) {
      stores.push(connection.request({ op: 'set', key: `pipe:${i}`, value: Buffer.from(`value ${i}`), flags: i }));
    }
    const gets = [];
    // Interleave hits and misses so a misaligned reply could not go unnoticed.
    for (let i = 0; i < count; i++) gets.push(connection.request({ op: 'get', keys: [i % 2 ? `pipe:${i}` : `absent:${i}`] }));
    assert.equal(connection.inFlight, count * 2);
    for (const reply of await Promise.all(stores)) assert.deepEqual(reply, { kind: 'status', status: 'STORED' });
    const replies = await Promise.all(gets);
    replies.forEach((reply, i) => {
      assert.equal(reply.kind, 'values');
      if (reply.kind !== 'values') return;
      if (i % 2 === 0) assert.deepEqual(reply.items, []);
      else assert.deepEqual(reply.items, [{ key: `pipe:${i}`, flags: i, value: Buffer.from(`value ${i}`) }]);
    });
    await connection.end();
  });

  test('an error reply resolves like any other reply and the connection carries on', async () => {
    const connection = await Connection.connect({ port: memcached.port });
    await connection.request({ op: 'set', key: 'word', value: Buffer.from('abc') });
    const reply = await connection.request({ op: 'incr', key: 'word', delta: 1n });
    assert.deepEqual(reply, { kind: 'error', type: 'CLIENT_ERROR', message: 'cannot increment or decrement non-numeric value', code: 'NON_NUMERIC' });
    assert.equal((await connection.request({ op: 'version' })).kind, 'version');
    await connection.end();
  });
});

describe('connection against a scripted server', { timeout: 20_000 }, () => {
  test('replies split across writes and batched together still match in order', async () => {
    // The server holds replies back until three requests are in, then sends them in odd pieces.
    const waiting: string[] = [];
    const server = await startFakeServer((socket, line) => {
      waiting.push(line.replace('get ', ''));
      if (waiting.length < 3) return;
      const text = waiting.splice(0).map((key) => `VALUE ${key} 0 2\r\n${key.slice(-2)}\r\nEND\r\n`).join('');
      for (let i = 0; i < text.length; i += 7) socket.write(text.slice(i, i + 7));
    });
    const connection = await Connection.connect({ port: server.port });
    const replies = await Promise.all(['k1', 'k2', 'k3'].map((key) => connection.request({ op: 'get', keys: [key] })));
    assert.deepEqual(replies.map((r) => (r.kind === 'values' ? r.items[0]?.value.toString() : r.kind)), ['k1', 'k2', 'k3']);
    connection.destroy();
    await server.close();
  });

  test('a request without a reply times out, and the connection closes with it', async () => {
    const server = await startFakeServer(() => {});
    const connection = await Connection.connect({ port: server.port, requestTimeoutMs: 150 });
    const first = connection.request({ op: 'version' });
    const second = connection.request({ op: 'version' }, 10_000);
    await assert.rejects(first, isCode('TIMEOUT'));
    // The second request did not time out, but its reply can no longer be told apart from the first's.
    await assert.rejects(second, isCode('CONNECTION_CLOSED'));
    assert.equal(connection.usable, false);
    await assert.rejects(connection.request({ op: 'version' }), isCode('CONNECTION_CLOSED'));
    await connection.closed;
    await server.close();
  });

  test('timeouts of different lengths each fire on time', async () => {
    const server = await startFakeServer(() => {});
    const connection = await Connection.connect({ port: server.port });
    const slow = connection.request({ op: 'version' }, 5000);
    const started = performance.now();
    const fast = connection.request({ op: 'version' }, 100);
    await assert.rejects(fast, isCode('TIMEOUT'));
    assert.ok(performance.now() - started < 4000, 'the shorter deadline fired first');
    await assert.rejects(slow, isCode('CONNECTION_CLOSED'));
    await server.close();
  });

  test('a server that hangs up fails the requests in flight', async () => {
    const server = await startFakeServer((socket) => socket.destroy());
    const connection = await Connection.connect({ port: server.port });
    await assert.rejects(connection.request({ op: 'version' }), isCode('CONNECTION_CLOSED'));
    assert.equal((await connection.closed)?.code, 'CONNECTION_CLOSED');
    await server.close();
  });

  test('a malformed reply fails with BAD_REPLY and closes the connection', async () => {
    const server = await startFakeServer((socket) => socket.write('HELLO THERE\r\n'));
    const connection = await Connection.connect({ port: server.port });
    await assert.rejects(connection.request({ op: 'version' }), isCode('BAD_REPLY'));
    await connection.closed;
    assert.equal(connection.usable, false);
    await server.close();
  });

  test('an invalid request is refused before anything is written', async () => {
    const server = await startFakeServer(versionOnly);
    const connection = await Connection.connect({ port: server.port });
    await assert.rejects(connection.request({ op: 'delete', key: 'a b' }), isCode('BAD_REQUEST'));
    assert.deepEqual(await connection.request({ op: 'version' }), { kind: 'version', version: 'fake' });
    await connection.end();
    await server.close();
  });

  test('end() lets replies in flight arrive, then closes', async () => {
    const server = await startFakeServer(versionOnly);
    const connection = await Connection.connect({ port: server.port });
    const reply = connection.request({ op: 'version' });
    const ended = connection.end();
    assert.equal(connection.usable, false);
    assert.equal((await reply).kind, 'version');
    await ended;
    await server.closedConnections(1);
    await server.close();
  });

  test('a refused connection fails with CONNECT_FAILED', async () => {
    const server = await startFakeServer(versionOnly);
    const port = server.port;
    await server.close();
    await assert.rejects(Connection.connect({ port }), isCode('CONNECT_FAILED'));
  });
});
