/**
 * The coroutine server's own promises, beyond the conformance suite and the cross-phase
 * reliability and shutdown tests (which run against it too): a pipeline of 10,000 requests in one
 * write gets 10,000 replies in order, and one greedy pipeline does not starve another connection:
 * it is served a turn at a time, yielding (an awaited setImmediate) between turns.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { startPhase, type RunningServer } from '../../../shared/testing/server-process.ts';
import { askUntil as ask, openSocket as open } from '../../../shared/testing/line-client.ts';

describe('the coroutine server', () => {
  let server: RunningServer;
  const sockets: Socket[] = [];
  before(async () => {
    server = await startPhase('coroutine');
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    assert.equal(await server.stop(), 0);
  });

  test('10,000 pipelined requests in one write: 10,000 replies, in order', { timeout: 30_000 }, async () => {
    const socket = await open(server.port);
    sockets.push(socket);
    let requests = '';
    let expected = '';
    for (let i = 0; i < 10_000; i++) {
      requests += i % 2 === 0 ? `set k${i} 0 0 ${String(i).length}\r\n${i}\r\n` : `get k${i - 1}\r\n`;
      expected += i % 2 === 0 ? 'STORED\r\n' : `VALUE k${i - 1} 0 ${String(i - 1).length}\r\n${i - 1}\r\nEND\r\n`;
    }
    assert.equal(await ask(socket, `${requests}version\r\n`, 'VERSION 1.6.18-kvlab-coroutine\r\n'), `${expected}VERSION 1.6.18-kvlab-coroutine\r\n`);
  });

  test('one greedy pipeline does not starve another connection', { timeout: 30_000 }, async () => {
    const greedy = await open(server.port);
    const polite = await open(server.port);
    sockets.push(greedy, polite);
    const count = 200_000;
    const expectedGreedy = count * 'END\r\n'.length;
    let greedyBytes = 0;
    const greedyDone = new Promise<void>((resolve) => {
      greedy.on('data', (chunk: Buffer) => {
        greedyBytes += chunk.length;
        if (greedyBytes >= expectedGreedy) resolve();
      });
    });
    const yields = async () => Number(/STAT conn_yields (\d+)/.exec(await ask(polite, 'stats\r\n', 'END\r\n'))?.[1]);
    const yieldsBefore = await yields();
    greedy.write('get missing\r\n'.repeat(count));
    // Once the greedy connection is being served, ask for one reply on the other.
    await new Promise<void>((resolve) => greedy.once('data', () => resolve()));
    assert.equal(await ask(polite, 'version\r\n', '\r\n'), 'VERSION 1.6.18-kvlab-coroutine\r\n');
    const greedyAtPoliteReply = greedyBytes;
    await greedyDone;
    assert.ok(greedyAtPoliteReply < expectedGreedy, 'the polite client was answered only after the greedy one finished');
    // Each read holds thousands of requests: served 64 a turn, with a yield between turns (memcached's conn_yields).
    assert.ok((await yields()) - yieldsBefore >= count / 64 / 10, 'the greedy connection yielded between its turns');
  });
});
