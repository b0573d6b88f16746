/**
 * `--threads 2` under concurrent load from both loops at once, with the invariants a shared store
 * must keep: incr from many connections loses no update; a value overwritten by several writers
 * is never read torn (every value is one version's pattern, whole); and all of it while a filler
 * keeps the 8 MiB store full, so eviction runs in one loop while the other reads. Bounded by
 * counts, not time; each connection pipelines its requests and reads its replies in order.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { askUntil, openSocket } from '../../../../shared/testing/line-client.ts';

const T = { timeout: 120_000 };
/** Connections per role: more than the loops, so both loops serve each role. */
const CONNECTIONS = 6;
const INCRS = 2_000;
/** Requests per pipelined batch: one write, then every reply. */
const BATCH = 100;
const SHARED_KEYS = 16;
const WRITES = 1_500;
const READS = 3_000;
/** 4 KiB filler values over 8 MiB: far more than fits, so the LRU evicts all along. */
const FILLS = 4_000;
const FILL_VALUE = 'f'.repeat(4096);

let server: RunningServer;
let sockets: Socket[] = [];

before(async () => {
  server = await startPhase('phase4', ['--threads', '2', '-m', '8']);
});

after(async () => {
  for (const socket of sockets) socket.destroy();
  await server.stop();
});

async function open(count: number): Promise<Socket[]> {
  const opened = await Promise.all(Array.from({ length: count }, () => openSocket(server.port)));
  sockets = sockets.concat(opened);
  return opened;
}

/**
 * Sends `requests` in batches on `socket`, and resolves with every reply (split at `replyEnd`), in
 * order. `quiet`: the requests answer nothing (noreply), so each batch ends with meta's `mn`,
 * whose `MN` is the one reply it waits for.
 */
async function pipeline(socket: Socket, requests: string[], replyEnd: string, quiet = false): Promise<string[]> {
  const replies: string[] = [];
  for (let start = 0; start < requests.length; start += BATCH) {
    const batch = requests.slice(start, start + BATCH);
    const expected = quiet ? 1 : batch.length;
    const text = await new Promise<string>((resolve, reject) => {
      let got = '';
      let ends = 0;
      const timer = setTimeout(() => {
        socket.off('data', onData);
        reject(new Error(`${ends} of ${expected} replies within 30 s`));
      }, 30_000);
      // One listener for the whole batch, so no chunk falls between two.
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('latin1');
        got += text;
        ends = got.split(replyEnd).length - 1;
        if (ends < expected) return;
        clearTimeout(timer);
        socket.off('data', onData);
        resolve(got);
      };
      socket.on('data', onData);
      socket.write(batch.join('') + (quiet ? 'mn\r\n' : ''));
    });
    replies.push(...text.split(replyEnd).slice(0, -1));
  }
  return replies;
}

/** Version `v`'s value: its number, six digits, repeated as many times as it says. */
function versionValue(v: number): string {
  return String(v % 1_000_000).padStart(6, '0').repeat(10 + (v % 50));
}

/** Whether `value` is one version's value, whole. */
function isWhole(value: string): boolean {
  const group = value.slice(0, 6);
  return /^\d{6}$/.test(group) && value === versionValue(Number(group));
}

test('incr from connections on both loops loses no update; overwritten values are never torn; eviction runs meanwhile', T, async () => {
  const control = (await open(1))[0]!;
  assert.equal(await askUntil(control, 'set stress:n 0 0 1\r\n0\r\n', '\r\n'), 'STORED\r\n');
  for (let k = 0; k < SHARED_KEYS; k++) {
    const value = versionValue(k);
    assert.equal(await askUntil(control, `set stress:s${k} 0 0 ${value.length}\r\n${value}\r\n`, '\r\n'), 'STORED\r\n');
  }
  const [incrs, writers, readers, fillers] = await Promise.all([open(CONNECTIONS), open(CONNECTIONS), open(CONNECTIONS), open(2)]);
  let version = SHARED_KEYS;
  const work = [
    ...incrs.map((socket) => pipeline(socket, Array.from({ length: INCRS }, () => 'incr stress:n 1\r\n'), '\r\n')),
    ...writers.map((socket) => pipeline(socket, Array.from({ length: WRITES }, (_, i) => {
      const value = versionValue(version++);
      return `set stress:s${i % SHARED_KEYS} 0 0 ${value.length}\r\n${value}\r\n`;
    }), '\r\n')),
    ...readers.map((socket) => pipeline(socket, Array.from({ length: READS }, (_, i) => `get stress:s${i % SHARED_KEYS}\r\n`), 'END\r\n')),
    ...fillers.map((socket, f) => pipeline(socket, Array.from({ length: FILLS }, (_, i) => `set stress:fill${f}:${i} 0 0 ${FILL_VALUE.length} noreply\r\n${FILL_VALUE}\r\n`), 'MN\r\n', true)),
  ];
  const results = await Promise.all(work);
  // Every incr answered with a number; the last value is the count of them all.
  for (const replies of results.slice(0, CONNECTIONS)) {
    assert.equal(replies.length, INCRS);
    assert.ok(replies.every((reply) => /^\d+$/.test(reply)), `incr replies: ${replies.find((reply) => !/^\d+$/.test(reply))}`);
  }
  assert.equal(await askUntil(control, 'get stress:n\r\n', 'END\r\n'), `VALUE stress:n 0 ${String(CONNECTIONS * INCRS).length}\r\n${CONNECTIONS * INCRS}\r\nEND\r\n`);
  for (const replies of results.slice(CONNECTIONS, 2 * CONNECTIONS)) assert.ok(replies.every((reply) => reply === 'STORED'), 'every set stored');
  let read = 0;
  for (const replies of results.slice(2 * CONNECTIONS, 3 * CONNECTIONS)) {
    for (const reply of replies) {
      // A shared key may have been evicted by the filler: a miss is allowed, a torn value is not.
      if (reply === '') continue;
      const [header, value] = reply.split('\r\n');
      assert.match(header!, /^VALUE stress:s\d+ 0 \d+$/);
      assert.equal(Number(header!.split(' ')[3]), value!.length, 'the length line matches the bytes');
      assert.ok(isWhole(value!), `a whole version, not ${value!.slice(0, 40)}…`);
      read++;
    }
  }
  assert.ok(read > 0, 'some reads found a value');
  const stats = await askUntil(control, 'stats\r\n', 'END\r\n');
  assert.ok(Number(/STAT evictions (\d+)/.exec(stats)![1]) > 0, 'the filler made the store evict');
  assert.match(stats, /STAT threads 2\r\n/);
});
