/**
 * An idle connection holds no session: none is made before its first byte, and the one it used
 * goes back to the server's pool once everything it read has been answered — unless it holds part
 * of a request. Seen through the pool: N connections that each asked once, one after another,
 * leave one pooled session behind, not N.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { pino } from 'pino';
import { sessionPoolFor } from '../../../shared/protocol/session-pool.ts';
import { basicServerInfo } from '../../../shared/runtime/basic-server-info.ts';
import { ServerCounters } from '../../../shared/runtime/server-counters.ts';
import { SharedStore } from '../../../shared/store/shared-store.ts';
import { EventConnection, type ConnectionSettings } from '../event-connection.ts';

const T = { timeout: 20_000 };
const CONNECTIONS = 20;

async function startServer() {
  const counters = new ServerCounters();
  const facts = { version: '1.6.18-test', startedAtMs: Date.now(), maxConnections: 100, threads: 1, settings: [] };
  const settings: ConnectionSettings = {
    context: { store: SharedStore.create({ memoryBytes: 16 * 1024 * 1024 }), server: basicServerInfo(facts, counters), maxItemSize: 1024 * 1024 },
    counters,
    log: pino({ level: 'silent' }),
    requestsPerTurn: 16,
    writeHighWater: 64 * 1024,
  };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    new EventConnection(socket, settings);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return {
    port: address.port,
    pool: sessionPoolFor(settings.context),
    accepted: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Sends `request` and resolves with the reply once it ends with `end`. */
async function ask(socket: Socket, request: string, end: string): Promise<string> {
  socket.write(request);
  let text = '';
  while (!text.endsWith(end)) text += ((await once(socket, 'data')) as [Buffer])[0].toString('latin1');
  return text;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

test('sessions are made on the first byte and given back when the connection goes idle', T, async () => {
  const server = await startServer();
  const clients: Socket[] = [];
  try {
    for (let i = 0; i < CONNECTIONS; i++) {
      const client = connect({ host: '127.0.0.1', port: server.port });
      await once(client, 'connect');
      clients.push(client);
    }
    await until(() => server.accepted() === CONNECTIONS);
    assert.equal(server.pool.size, 0, 'no connection has sent a byte: no session exists');
    for (const client of clients) assert.match(await ask(client, 'version\r\n', '\r\n'), /^VERSION /);
    assert.equal(server.pool.size, 1, `${CONNECTIONS} connections asked in turn: one session served them all and is back in the pool`);

    // Half a request keeps its session (and its bytes) with the connection.
    const [first, second] = clients as [Socket, Socket];
    first.write('set k 0 0 5\r\nab');
    await until(() => server.pool.size === 0);
    assert.equal(await ask(second, 'version\r\n', '\r\n').then((reply) => reply.startsWith('VERSION ')), true);
    assert.equal(server.pool.size, 1, 'the other connection took the pooled session and gave it back');
    assert.equal(await ask(first, 'cde\r\n', '\r\n'), 'STORED\r\n');
    assert.equal(server.pool.size, 2, 'both sessions are back once the request is complete');
    assert.equal(await ask(second, 'get k\r\n', 'END\r\n'), 'VALUE k 0 5\r\nabcde\r\nEND\r\n', 'the stored value is whole');
  } finally {
    for (const client of clients) client.destroy();
    await server.close();
  }
});
