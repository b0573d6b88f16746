/**
 * Can an accepted socket read into one shared buffer? `net.Socket`'s `onread` option (a static
 * buffer and a callback instead of a fresh Buffer per 'data' event) is documented only for
 * `new net.Socket()` and `net.connect()`. These tests pin down what Node 20 does: a client socket
 * reuses its buffer, but `net.createServer` takes no `onread` — it is ignored, and each read of an
 * accepted socket arrives in a Buffer of its own. The event-loop connections therefore keep the
 * 'data' event; a shared read buffer would need Node's internals (docs/phase4-scaling.md).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Server, type ServerOpts, type Socket } from 'node:net';
import { test } from 'node:test';

const T = { timeout: 10_000 };

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

/** Sends `a`, waits for the peer's acknowledgement, then sends `b`: two reads on the other side. */
async function sendTwice(socket: Socket, acknowledged: () => Promise<void>): Promise<void> {
  socket.write('a');
  await acknowledged();
  socket.write('b');
}

test('a client socket made with onread reads every chunk into the same buffer', T, async () => {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    void sendTwice(socket, async () => {
      await once(socket, 'data');
    });
  });
  const port = await listen(server);
  const shared = Buffer.alloc(64);
  const seen: Buffer[] = [];
  let sawAll: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (sawAll = resolve));
  const client = connect({
    host: '127.0.0.1', port,
    onread: {
      buffer: shared,
      callback: (bytes, buffer) => {
        seen.push(buffer as Buffer);
        if (seen.length === 1) client.write('k');
        if (seen.length === 2) sawAll();
        return true;
      },
    },
  });
  try {
    await done;
    assert.equal(seen[0], shared);
    assert.equal(seen[1], shared, 'the second read went into the same buffer');
  } finally {
    client.destroy();
    server.close();
  }
});

test('net.createServer ignores onread: an accepted socket gets a new Buffer per read', T, async () => {
  let calledBack = 0;
  const onread = { buffer: Buffer.alloc(64), callback: () => { calledBack++; return true; } };
  const chunks: Buffer[] = [];
  let sawTwo: () => void = () => undefined;
  const two = new Promise<void>((resolve) => (sawTwo = resolve));
  // Not in ServerOpts: passed anyway, to show that it has no effect on accepted sockets.
  const server = createServer({ onread } as ServerOpts, (socket) => {
    // The client hangs up with a reply unread: a reset here is expected.
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      socket.write('k');
      if (chunks.length === 2) sawTwo();
    });
  });
  const port = await listen(server);
  const client = connect({ host: '127.0.0.1', port });
  try {
    await once(client, 'connect');
    await sendTwice(client, async () => {
      await once(client, 'data');
    });
    await two;
    assert.equal(calledBack, 0, 'the onread callback is never called');
    assert.notEqual(chunks[0]!.buffer, chunks[1]!.buffer, 'each read has memory of its own');
    assert.ok(chunks.every((chunk) => chunk !== onread.buffer));
  } finally {
    client.destroy();
    server.close();
  }
});
