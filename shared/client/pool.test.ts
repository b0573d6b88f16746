// The pool: its size limit, waiting and acquire timeouts, broken connections replaced, idle eviction.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientError } from './client-errors.ts';
import { Pool } from './pool.ts';
import { startFakeServer, versionOnly } from './test/fake-server.ts';

const isCode = (code: string) => (error: unknown) => error instanceof ClientError && error.code === code;

describe('pool', { timeout: 20_000 }, () => {
  test('never opens more than max connections; the next caller waits for a release', async () => {
    const server = await startFakeServer(versionOnly);
    const pool = new Pool({ port: server.port, max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    assert.notEqual(a, b);
    let thirdSettled = false;
    const third = pool.acquire().then((connection) => {
      thirdSettled = true;
      return connection;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(thirdSettled, false);
    assert.equal(pool.waitingCount, 1);
    assert.equal(pool.size, 2);
    pool.release(a);
    assert.equal(await third, a, 'the released connection goes straight to the waiter');
    assert.equal(server.accepted(), 2);
    pool.release(b);
    pool.release(a);
    assert.equal(pool.idleCount, 2);
    await pool.close();
    await server.close();
  });

  test('a waiter gives up with ACQUIRE_TIMEOUT', async () => {
    const server = await startFakeServer(versionOnly);
    const pool = new Pool({ port: server.port, max: 1, acquireTimeoutMs: 100 });
    const held = await pool.acquire();
    await assert.rejects(pool.acquire(), isCode('ACQUIRE_TIMEOUT'));
    assert.equal(pool.waitingCount, 0);
    pool.release(held);
    await pool.close();
    await server.close();
  });

  test('a pooled connection that breaks while idle is replaced, never handed out', async () => {
    const server = await startFakeServer(versionOnly);
    const pool = new Pool({ port: server.port, max: 1 });
    const first = await pool.acquire();
    pool.release(first);
    for (const socket of server.sockets) socket.destroy();
    await first.closed;
    const second = await pool.acquire();
    assert.notEqual(second, first);
    assert.equal(second.usable, true);
    assert.deepEqual(await second.request({ op: 'version' }), { kind: 'version', version: 'fake' });
    assert.equal(server.accepted(), 2);
    pool.release(second);
    await pool.close();
    await server.close();
  });

  test('a connection that breaks while lent is dropped on release and a waiter gets a new one', async () => {
    // The first request on each connection kills it; later ones are answered.
    let requests = 0;
    const server = await startFakeServer((socket, line) => {
      if (++requests === 1) socket.destroy();
      else versionOnly(socket, line);
    });
    const pool = new Pool({ port: server.port, max: 1 });
    const broken = await pool.acquire();
    const waiter = pool.acquire();
    await assert.rejects(broken.request({ op: 'version' }), isCode('CONNECTION_CLOSED'));
    pool.release(broken);
    const fresh = await waiter;
    assert.notEqual(fresh, broken);
    assert.deepEqual(await fresh.request({ op: 'version' }), { kind: 'version', version: 'fake' });
    assert.equal(pool.size, 1);
    pool.release(fresh);
    await pool.close();
    await server.close();
  });

  test('use() releases the connection even when the task throws', async () => {
    const server = await startFakeServer(versionOnly);
    const pool = new Pool({ port: server.port, max: 1 });
    await assert.rejects(pool.use(() => Promise.reject(new Error('task failed'))), /task failed/);
    assert.equal(pool.idleCount, 1);
    assert.equal((await pool.use((c) => c.request({ op: 'version' }))).kind, 'version');
    await pool.close();
    await server.close();
  });

  test('connections idle past idleTimeoutMs are closed', async () => {
    const server = await startFakeServer(versionOnly);
    const pool = new Pool({ port: server.port, max: 2, idleTimeoutMs: 100 });
    const connection = await pool.acquire();
    pool.release(connection);
    await server.closedConnections(1);
    await connection.closed;
    assert.equal(pool.size, 0);
    await pool.close();
    await server.close();
  });

  test('a refused connect frees its slot for the next caller', async () => {
    const server = await startFakeServer(versionOnly);
    const port = server.port;
    await server.close();
    const pool = new Pool({ port, max: 1 });
    const first = pool.acquire();
    const second = pool.acquire();
    await assert.rejects(first, isCode('CONNECT_FAILED'));
    await assert.rejects(second, isCode('CONNECT_FAILED'));
    assert.equal(pool.size, 0);
    await pool.close();
  });

  test('close() rejects waiters and later acquires with POOL_CLOSED', async () => {
    const server = await startFakeServer(versionOnly);
    const pool = new Pool({ port: server.port, max: 1 });
    const held = await pool.acquire();
    const waiter = assert.rejects(pool.acquire(), isCode('POOL_CLOSED'));
    await pool.close();
    await waiter;
    await assert.rejects(pool.acquire(), isCode('POOL_CLOSED'));
    assert.equal(held.usable, false);
    pool.release(held);
    assert.throws(() => pool.release(held), /did not lend/);
    await server.close();
  });
});
