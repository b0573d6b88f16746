/**
 * Checks for exercise 2.4 (event-connection), over real loopback sockets: replies in order, one
 * write per turn, another client served between two turns of a greedy one, and a client that
 * does not read its replies stopping the server from serving it — until it reads again.
 */
import { describe, test } from 'node:test';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, expectTrue, fail } from '../../shared/course/checks.ts';
import { BENCH_VERSION, BenchClient, eventually, startBench } from '../../shared/course/support/connection-harness.ts';

const { EventConnection } = await loadExercise<typeof import('./event-connection.ts')>(import.meta.url);

const T = { timeout: 30_000 };
const VERSION_REPLY = `VERSION ${BENCH_VERSION}\r\n`;
const KIB = 1024;

/** How many times `needle` occurs in `text`. */
function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('2.4 event-connection', () => {
  test('a request gets its reply', T, async () => {
    const bench = await startBench(EventConnection, 64, 64 * KIB);
    const client = await BenchClient.connect(bench.port);
    try {
      client.socket.write('version\r\n');
      await bench.settle(client, () => client.length >= VERSION_REPLY.length, 3000);
      expectSame(client.text(), VERSION_REPLY, 'sent "version\\r\\n"');
    } finally {
      client.close();
      await bench.close();
    }
  });

  test('pipelined requests: every reply, in order, and one write per turn', T, async () => {
    const bench = await startBench(EventConnection, 64, 64 * KIB);
    const client = await BenchClient.connect(bench.port);
    try {
      let sent = '';
      let expected = '';
      for (let i = 0; i < 25; i++) {
        sent += `set k${i} 0 0 ${String(i).length}\r\n${i}\r\nget k${i}\r\n`;
        expected += `STORED\r\nVALUE k${i} 0 ${String(i).length}\r\n${i}\r\nEND\r\n`;
      }
      client.socket.write(sent);
      await bench.settle(client, () => client.length >= expected.length, 5000);
      expectSame(client.text(), expected, '25 × (set k<i>, get k<i>) in one write');
      const writes = bench.spy.writes.length;
      const reads = bench.spy.reads[0] ?? 0;
      expectTrue(writes <= reads, 'the same 50 pipelined requests (fewer than requestsPerTurn = 64)',
        `at most one socket.write per turn (the server read them in ${reads} chunk${reads === 1 ? '' : 's'})`,
        `${writes} socket.write calls — gather the turn's replies and write them once`);
    } finally {
      client.close();
      await bench.close();
    }
  });

  test('fairness: a greedy client yields after requestsPerTurn, and another client is served in between', T, async () => {
    const bench = await startBench(EventConnection, 4, 64 * KIB);
    const greedy = await BenchClient.connect(bench.port);
    const polite = await BenchClient.connect(bench.port);
    try {
      await eventually(() => bench.accepted() === 2, 3000);
      // The moment the greedy client's first turn is written, the polite one asks for one thing.
      bench.spy.onWrite = (record) => {
        if (record.connection !== 0) return;
        bench.spy.onWrite = null;
        polite.socket.write('version\r\n');
      };
      greedy.socket.write('version\r\n'.repeat(40));
      await bench.settle(greedy, () => greedy.length >= VERSION_REPLY.length * 40, 5000);
      await bench.settle(polite, () => polite.length >= VERSION_REPLY.length, 5000);
      const given = 'requestsPerTurn = 4; client A pipelines 40 "version"; client B sends one as soon as A\'s first reply is written';
      expectSame(greedy.text(), VERSION_REPLY.repeat(40), `${given}: what A received`);
      const perWrite = bench.spy.writes.filter((w) => w.connection === 0).map((w) => count(w.text, 'VERSION'));
      expectTrue(perWrite.every((replies) => replies <= 4), given, 'at most 4 replies in each of A\'s writes (one turn each)',
        `A's writes carried ${JSON.stringify(perWrite)} replies`);
      const order = bench.spy.writes.map((w) => (w.connection === 0 ? 'A' : 'B')).join('');
      expectTrue(order.indexOf('B') < order.lastIndexOf('A'), given, 'B answered while A still had turns to go (yield with setImmediate)',
        `the order of writes was ${order}`);
    } finally {
      greedy.close();
      polite.close();
      await bench.close();
    }
  });

  test('backpressure: a client that does not read its replies is not served until it reads', T, async () => {
    const highWater = 64 * KIB;
    const bench = await startBench(EventConnection, 2, highWater);
    const loader = await BenchClient.connect(bench.port);
    const client = await BenchClient.connect(bench.port);
    try {
      const value = 'v'.repeat(64 * KIB);
      loader.socket.write(`set big 0 0 ${value.length}\r\n${value}\r\n`);
      await bench.settle(loader, () => loader.text().endsWith('STORED\r\n'), 5000);
      loader.close();
      const gets = 400;
      client.socket.pause();
      client.socket.write('get big\r\n'.repeat(gets));
      const given = `writeHighWater = 64 KiB, requestsPerTurn = 2; a client sends ${gets} × "get big" (64 KiB each) and reads nothing`;
      const served = () => bench.spy.writes.filter((w) => w.connection === 1);
      const blocked = () => bench.spy.pauses.some((p) => p.connection === 1 && p.unwritten > highWater);
      const tooMuch = () => served().reduce((sum, w) => sum + w.length, 0) > 20 * 1024 * KIB;
      await eventually(() => blocked() || tooMuch() || bench.spy.thrown.length > 0, 10_000);
      if (bench.spy.thrown.length > 0) throw bench.spy.thrown[0];
      const peak = () => Math.max(0, ...served().map((w) => w.unwritten));
      if (!blocked()) {
        fail(given, 'the connection to pause() once more than 65536 reply bytes wait unwritten',
          `no such pause; ${served().length} replies written, up to ${peak()} bytes waiting in the socket`);
      }
      client.socket.resume();
      const reply = `VALUE big 0 ${value.length}\r\n${value}\r\nEND\r\n`;
      await bench.settle(client, () => client.length >= reply.length * gets, 15_000);
      expectSame(client.length, reply.length * gets, `${given}, then reads again: bytes received`);
      const allowed = highWater + 2 * reply.length;
      expectTrue(peak() <= allowed, given, `at most ${allowed} bytes ever waiting (the high-water mark plus one turn)`,
        `${peak()} bytes waited unwritten at the peak: a blocked connection must not serve`);
    } finally {
      loader.close();
      client.close();
      await bench.close();
    }
  });

  test('quit: the replies before it are written, then the connection closes', T, async () => {
    const bench = await startBench(EventConnection, 64, 64 * KIB);
    const client = await BenchClient.connect(bench.port);
    try {
      client.socket.write('version\r\nquit\r\nversion\r\n');
      await bench.settle(client, () => client.ended, 3000);
      expectSame({ received: client.text(), closed: client.ended }, { received: VERSION_REPLY, closed: true }, 'sent "version\\r\\nquit\\r\\nversion\\r\\n"');
    } finally {
      client.close();
      await bench.close();
    }
  });
});
