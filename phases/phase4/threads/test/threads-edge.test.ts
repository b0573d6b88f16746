/**
 * The edge's timeouts with `--threads 2`: each loop guards the sockets it accepted, with its own
 * sweep, and counts in the one set of shared counters. Silent connections are closed by
 * `-o idle_timeout` and dribbling ones by the partial-request deadline, whichever loop holds them,
 * while a talking client stays; `idle_kicks` and `partial_request_kicks` count every close
 * exactly, though two threads count them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { askUntil } from '../../../../shared/testing/line-client.ts';
import { closedWithin, openFrom, statFrom } from '../../edge/test/edge-clients.ts';

const SILENT = 12;
const DRIBBLERS = 40;
/** Wide bounds for what the deadlines (2 s, 1 s) must achieve on a busy machine. */
const WITHIN_MS = 15_000;
const T = { timeout: 60_000 };

/** Waits `ms`: a client's pace, never a wait for readiness. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the edge\'s timeouts with --threads 2', () => {
  let server: RunningServer;
  before(async () => {
    server = await startPhase('phase4', ['--threads', '2', '-o', 'idle_timeout=2', '--partial-request-timeout', '1']);
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test(`${SILENT} silent connections are closed by the idle timeout and counted once each; a talking one stays`, T, async () => {
    const before = await statFrom(server.port, 'idle_kicks');
    const silent: Socket[] = [];
    for (let i = 0; i < SILENT; i++) silent.push(await openFrom(server.port, `127.0.2.${i + 1}`));
    const talking = await openFrom(server.port, '127.0.0.9');
    const started = Date.now();
    const closed = Promise.all(silent.map((socket) => closedWithin(socket, WITHIN_MS)));
    let gone = false;
    void closed.then(() => (gone = true), () => undefined);
    // Talks every 500 ms, well inside the 2 s timeout, until the silent ones are gone.
    let talked = 0;
    while (!gone && Date.now() - started < WITHIN_MS) {
      assert.match(await askUntil(talking, 'version\r\n', '\r\n'), /^VERSION /);
      talked++;
      await pause(500);
    }
    await closed;
    assert.ok(Date.now() - started >= 1900, `closed after ${Date.now() - started} ms, before the 2 s timeout`);
    assert.ok(talked >= 3 && !talking.destroyed, 'the talking connection is still served');
    assert.match(await askUntil(talking, 'version\r\n', '\r\n'), /^VERSION /);
    talking.destroy();
    assert.equal(await statFrom(server.port, 'idle_kicks') - before, SILENT, 'idle_kicks: every close, counted once');
  });

  test(`${DRIBBLERS} connections dribbling a command line are closed by the partial-request deadline and counted exactly`, T, async () => {
    const before = await statFrom(server.port, 'partial_request_kicks');
    const dribblers: Socket[] = [];
    for (let i = 0; i < DRIBBLERS; i++) dribblers.push(await openFrom(server.port, `127.0.3.${i + 1}`));
    for (const socket of dribblers) socket.write('get ');
    // A byte every 300 ms: never idle, never a whole request.
    const dribble = setInterval(() => {
      for (const socket of dribblers) if (!socket.destroyed) socket.write('k');
    }, 300);
    try {
      await Promise.all(dribblers.map((socket) => closedWithin(socket, WITHIN_MS)));
    } finally {
      clearInterval(dribble);
      for (const socket of dribblers) socket.destroy();
    }
    assert.equal(await statFrom(server.port, 'partial_request_kicks') - before, DRIBBLERS, 'partial_request_kicks: every close, counted once');
  });
});
