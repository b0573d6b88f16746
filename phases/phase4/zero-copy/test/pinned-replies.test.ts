/**
 * Zero-copy gets over the wire: a client pipelines many gets of one large value — 100 KB, in one
 * chunk, and 700 KB, over the chunk maximum, so lent as one view per data chunk — and does not
 * read, so the server's replies — views of the store's memory, pinned — wait in its socket.
 * Meanwhile another client overwrites the value (same size: it would be rewritten in place),
 * deletes it and stores other values of the same size (which would reuse its chunk). Then the
 * first client reads everything: every reply written before the overwrites must be the first
 * version, byte for byte, and every later one a whole version. Without the pins the replies
 * waiting in the socket would show the later bytes. Loop and `--threads 2`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { askUntil, openSocket } from '../../../../shared/testing/line-client.ts';

const T = { timeout: 90_000 };
/** Value sizes, and how many gets the reader asks for at once: some 20–30 MB of replies each. */
const CASES = [{ valueBytes: 100_000, gets: 300 }, { valueBytes: 700_000, gets: 40 }];

async function set(socket: Socket, key: string, bytes: Buffer): Promise<void> {
  const reply = await askUntil(socket, Buffer.concat([Buffer.from(`set ${key} 0 0 ${bytes.length}\r\n`), bytes, Buffer.from('\r\n')]), '\r\n');
  assert.equal(reply, 'STORED\r\n');
}

async function bytesWritten(socket: Socket): Promise<number> {
  const stats = await askUntil(socket, 'stats\r\n', 'END\r\n');
  return Number(/STAT bytes_written (\d+)/.exec(stats)![1]);
}

/** `stats slabs`: class id → used chunks. */
async function slabUse(socket: Socket): Promise<Map<number, { chunkSize: number; used: number }>> {
  const stats = await askUntil(socket, 'stats slabs\r\n', 'END\r\n');
  const classes = new Map<number, { chunkSize: number; used: number }>();
  for (const [, id, size] of stats.matchAll(/STAT (\d+):chunk_size (\d+)/g)) classes.set(Number(id), { chunkSize: Number(size), used: 0 });
  for (const [, id, used] of stats.matchAll(/STAT (\d+):used_chunks (\d+)/g)) classes.get(Number(id))!.used = Number(used);
  return classes;
}

/** The class holding the one 50 KB item: chunks of 50–70 KB, one in use. */
async function lonelyClass(socket: Socket): Promise<number> {
  const found = [...(await slabUse(socket))].find(([, c]) => c.chunkSize > 50_000 && c.chunkSize < 70_000 && c.used === 1);
  assert.ok(found, 'the 50 KB item has a class of its own');
  return found[0];
}

async function usedChunks(socket: Socket, classId: number): Promise<number> {
  return (await slabUse(socket)).get(classId)?.used ?? 0;
}

/** The reply of one get of `big`: its header line, the value, CRLF, END. */
function replyBytes(valueBytes: number): number {
  return `VALUE big 0 ${valueBytes}\r\n`.length + valueBytes + 2 + 'END\r\n'.length;
}

/** Reads `count` get replies of `big` from `socket`, resolving with each value's bytes. */
function readReplies(socket: Socket, count: number, valueBytes: number): Promise<Buffer[]> {
  const REPLY_BYTES = replyBytes(valueBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(() => reject(new Error(`only ${total} of ${count * REPLY_BYTES} bytes arrived`)), 60_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total < count * REPLY_BYTES) return;
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const values: Buffer[] = [];
      for (let at = 0; at < count * REPLY_BYTES; at += REPLY_BYTES) {
        const header = `VALUE big 0 ${valueBytes}\r\n`;
        if (all.toString('latin1', at, at + header.length) !== header) return reject(new Error(`reply ${values.length} does not start with ${JSON.stringify(header)}`));
        values.push(all.subarray(at + header.length, at + header.length + valueBytes));
      }
      resolve(values);
    });
    socket.resume();
  });
}

for (const mode of [{ name: 'loop', args: [] as string[] }, { name: '--threads 2', args: ['--threads', '2'] }]) for (const { valueBytes, gets: GETS } of CASES) {
  // A fresh server for each size: the first size's values would otherwise hold its memory.
  describe(`phase 4 (${mode.name}): ${valueBytes}-byte values lent to a socket that does not read`, T, () => {
    let server: RunningServer;
    before(async () => {
      server = await startPhase('phase4', ['-m', '64', ...mode.args]);
    });
    after(async () => {
      await server.stop();
    });

    test('stay whole while their key is overwritten, deleted and its memory reused', T, async () => {
      const REPLY_BYTES = replyBytes(valueBytes);
      const value = (letter: string): Buffer => Buffer.alloc(valueBytes, letter);
      const writer = await openSocket(server.port);
      const reader = await openSocket(server.port);
      try {
        await set(writer, 'big', value('a'));
        // The reader asks for everything at once and reads nothing until the end.
        reader.pause();
        reader.write('get big\r\n'.repeat(GETS));
        // Wait until the server stops writing to it: its socket is full and its connection blocked
        // (what still grows is the stats replies themselves, far less than one get reply).
        let before = -REPLY_BYTES;
        for (let now = await bytesWritten(writer); now - before >= REPLY_BYTES || now < 2 * REPLY_BYTES; now = await bytesWritten(writer)) {
          before = now;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const servedBefore = Math.floor((before - 64 * 1024) / REPLY_BYTES);
        for (let round = 0; round < 20; round++) await set(writer, 'big', value(String.fromCharCode(0x62 + (round % 20))));
        assert.equal(await askUntil(writer, 'delete big\r\n', '\r\n'), 'DELETED\r\n');
        for (let i = 0; i < 100; i++) await set(writer, `other${i}`, value('z'));
        await set(writer, 'big', value('y'));
        const values = await readReplies(reader, GETS, valueBytes);
        values.forEach((bytes, index) => {
          const letter = bytes[0]!;
          assert.ok(bytes.every((b) => b === letter), `reply ${index} is one whole version`);
          if (index < servedBefore) assert.equal(String.fromCharCode(letter), 'a', `reply ${index}, written before the overwrites, is the first version`);
        });
        assert.ok(servedBefore >= 2, `the reader had ${servedBefore} replies waiting before the overwrites`);
      } finally {
        writer.destroy();
        reader.destroy();
      }
    });

    test('a reader that goes away without reading gives its pins back: a value deleted meanwhile is freed', T, async () => {
      const writer = await openSocket(server.port);
      const reader = await openSocket(server.port);
      try {
        // A size of its own (50 KB), so its class holds this one item and nothing else.
        await set(writer, 'lone', Buffer.alloc(50_000, 'l'));
        const classId = await lonelyClass(writer);
        reader.pause();
        reader.write('get lone\r\n'.repeat(400));
        let before = -replyBytes(50_000);
        for (let now = await bytesWritten(writer); now - before >= replyBytes(50_000); now = await bytesWritten(writer)) {
          before = now;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(await askUntil(writer, 'delete lone\r\n', '\r\n'), 'DELETED\r\n');
        assert.equal(await usedChunks(writer, classId), 1, 'lent to the waiting replies, the deleted value keeps its chunk');
        reader.destroy();
        const deadline = Date.now() + 15_000;
        while ((await usedChunks(writer, classId)) !== 0) {
          assert.ok(Date.now() < deadline, 'the chunk was never freed: the pins of a closed socket leaked');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        writer.destroy();
        reader.destroy();
      }
    });
  });
}
