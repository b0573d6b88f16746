/**
 * What a served socket carries, through the whole composition (listener, composition root,
 * `stats conns` table, connection): the same handler functions on every socket, so that an idle
 * connection costs no closure of its own (docs/phase4-scaling.md counts the bytes). Seen from the
 * server's side: the listeners of two sockets are the very same functions, event by event, and a
 * socket has one 'close' handler. The bookkeeping those handlers do still happens: a closed
 * socket leaves the table, the registry of connections and the count.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { pino } from 'pino';
import { parseOptions } from '../../../shared/runtime/cli.ts';
import { composeServer } from '../../../shared/runtime/compose-server.ts';
import { PHASE2_OPTIONS } from '../options.ts';
import { assemblePhase2 } from '../server.ts';

const T = { timeout: 20_000 };
const EVENTS = ['data', 'close', 'drain', 'error', 'end'] as const;

/** Sends `request` and resolves with the reply once it ends with `end`. */
async function ask(socket: Socket, request: string, end: string): Promise<string> {
  socket.write(request);
  let text = '';
  while (!text.endsWith(end)) text += ((await once(socket, 'data')) as [Buffer])[0].toString('latin1');
  return text;
}

test('every served socket has the same handlers, one of them for close; closing still updates the table and the count', T, async () => {
  const assembly = await assemblePhase2(parseOptions(PHASE2_OPTIONS, ['--port', '0']), pino({ level: 'silent' }));
  // The server's side of each connection, as accepted.
  const accepted: Socket[] = [];
  const server = await composeServer({
    ...assembly.parts,
    createServer: (onConnection) => createServer((socket) => {
      accepted.push(socket);
      onConnection(socket);
    }),
  });
  assembly.table.listeningOn(server.address.host, server.address.port);
  const clients: Socket[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const client = connect(server.address.port, '127.0.0.1');
      await once(client, 'connect');
      clients.push(client);
      assert.match(await ask(client, 'version\r\n', '\r\n'), /^VERSION /);
    }
    assert.equal(accepted.length, 3);
    for (const event of EVENTS) {
      const first = accepted[0]!.listeners(event);
      for (const socket of accepted.slice(1)) {
        const theirs = socket.listeners(event);
        assert.equal(theirs.length, first.length, `'${event}' handlers: as many on every socket`);
        theirs.forEach((listener, i) => assert.equal(listener, first[i], `'${event}' handler ${i}: the same function on every socket, not one made for it`));
      }
    }
    assert.equal(accepted[0]!.listeners('close').length, 1, 'one close handler does the listener\'s, the root\'s and the table\'s work');

    const conns = await ask(clients[2]!, 'stats conns\r\n', 'END\r\n');
    assert.equal(conns.match(/:addr /g)?.length, 4, 'the listener and three clients');
    const closed = once(accepted[0]!, 'close');
    clients[0]!.destroy();
    await closed;
    assert.equal(server.connections.size, 2);
    assert.equal(assembly.counters.currConnections, 2);
    const after = await ask(clients[2]!, 'stats conns\r\n', 'END\r\n');
    assert.equal(after.match(/:addr /g)?.length, 3, 'the closed client left the table');
    assert.ok(!after.includes(`:${clients[0]!.localPort}\r\n`), 'and it is the closed one that left');
  } finally {
    for (const client of clients) client.destroy();
    await server.close();
  }
});
