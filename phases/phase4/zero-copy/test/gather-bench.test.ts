/**
 * The gather bench's instrument: in both write modes the reply server sends exactly the bytes of a
 * `get` reply — header, the value's pattern, trailer — for every request byte, at a small size and
 * at one past a 64 KiB socket read; and a short round counts whole replies and the server's CPU.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { measureRound, openClient, replyBytes, startReplyServer } from '../gather-bench.ts';
import { REPLY_TRAILER, replyHeader, valueByte, type WriteMode } from '../reply-shape.ts';
import type { RunningServer } from '../../../../shared/testing/server-process.ts';

const T = { timeout: 30_000 };
let server: RunningServer;
before(async () => {
  server = await startReplyServer();
});
after(async () => {
  await server.stop();
});

/** Reads exactly `bytes` from `socket`, bounded in time. */
function readExactly(socket: Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const timer = setTimeout(() => reject(new Error(`only ${got} of ${bytes} bytes arrived`)), 5000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes) {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks));
      }
    });
  });
}

function expectedReply(size: number): Buffer {
  const value = Buffer.alloc(size);
  for (let i = 0; i < size; i++) value[i] = valueByte(i);
  return Buffer.concat([replyHeader(size), value, REPLY_TRAILER]);
}

for (const mode of ['copy', 'gather'] as const satisfies readonly WriteMode[]) {
  test(`${mode}: one exact get reply per request byte, small and large`, T, async () => {
    for (const size of [100, 70_000]) {
      const socket = await openClient(server.port, mode, size);
      try {
        const arriving = readExactly(socket, 3 * replyBytes(size));
        socket.write('ggg');
        const one = expectedReply(size);
        assert.ok((await arriving).equals(Buffer.concat([one, one, one])), `${mode}, ${size} B: the bytes of three replies`);
      } finally {
        socket.destroy();
      }
    }
  });
}

test('a round counts whole replies and reads the server\'s CPU', T, async () => {
  const round = await measureRound(server, 'gather', 1000, 2, 2, 0.2);
  assert.ok(round.replies > 0, 'replies were counted');
  assert.ok(round.seconds >= 0.2, `the round lasted its time: ${round.seconds}`);
  assert.ok(round.serverCpuSeconds > 0, 'the server spent CPU on them');
});
