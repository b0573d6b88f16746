/**
 * The edge against the phase 4 process, on the event loop and with ring workers (where the loop
 * thread owns the sockets and the worker reports each turn), one server per mode:
 *
 * - delay mode holds a client that asks for far more than its rate to that rate (±10 % over a
 *   3 s window, counted, not timed), while a client from another address is served;
 * - SIGHUP switches to reject mode: over the rate, `SERVER_ERROR slow down` (binary: status 0x86),
 *   each refusal counted, and the connection carries on;
 * - a fourth connection from one address is turned away at `--max-connections-per-address 3`;
 * - a silent connection is closed by `-o idle_timeout` (idle_kicks) and released, a talking one is not;
 * - 200 connections dribbling a request a byte at a time (a command line, or a data block too
 *   large to keep) are closed by the partial-request deadline, logged at most once a second,
 *   while an honest client connects and is served.
 *
 * Clients come from distinct loopback addresses, because the edge counts and limits per address.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { askUntil } from '../../../../shared/testing/line-client.ts';
import { closedWithin, flood, openFrom, statFrom, statsOf } from './edge-clients.ts';

const RATE = 100;
/**
 * A bucket holds at most the burst, so a held client whose release comes late (a server whose
 * timers fire late on a loaded machine) loses what its bucket earned past it: 50 tokens absorb
 * half a second of lateness per hold, so the rate checks measure the limiter, not the machine.
 */
const BURST = 50;
/**
 * Reject mode's burst: small, so that its flood of 200 is refused in part even with ring workers,
 * where up to a turn (64 requests) passes before the loop hears of it.
 */
const REJECT_BURST = 10;
const WINDOW_MS = 3000;
/** Requests the flooding client keeps in flight: it asks for far more than 10× its rate. */
const DEPTH = 16;
const PER_ADDRESS = 3;
const DRIBBLERS = 200;
/** Wide bounds for what the deadlines (1 s, 2 s) must achieve on a busy machine. */
const WITHIN_MS = 15_000;
const T = { timeout: 60_000 };

/** Waits `ms`: a measuring window or a client's pace, never a wait for readiness. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server's output is another process's: polled, there is no event to wait for. */
async function outputMatches(server: RunningServer, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + WITHIN_MS;
  while (!pattern.test(server.output())) {
    assert.ok(Date.now() < deadline, `the server never logged ${pattern}; its output ends: ${server.output().slice(-500)}`);
    await pause(50);
  }
}

/** Sends `request` until the reply is not the refusal (a token comes back in 1/rate s); returns it and the refusals. */
async function askPastRefusals(socket: Socket, request: string, tries = 100): Promise<{ reply: string; refusals: number }> {
  for (let i = 0; i < tries; i++) {
    const reply = await askUntil(socket, request, '\r\n');
    if (reply !== 'SERVER_ERROR slow down\r\n') return { reply, refusals: i };
    // Asking in a tight loop would only be refused more.
    await pause(20);
  }
  throw new Error(`still refused after ${tries} tries`);
}

/** `count` binary Noop requests at once; resolves with the statuses of the responses. */
async function binaryNoops(port: number, localAddress: string, count: number): Promise<number[]> {
  const socket = await openFrom(port, localAddress);
  const header = Buffer.alloc(24);
  header[0] = 0x80;
  header[1] = 0x0a;
  const statuses: number[] = [];
  let pending = Buffer.alloc(0);
  const done = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 24 && pending.length >= 24 + pending.readUInt32BE(8)) {
        statuses.push(pending.readUInt16BE(6));
        pending = pending.subarray(24 + pending.readUInt32BE(8));
      }
      if (statuses.length >= count) resolve();
    });
  });
  socket.write(Buffer.concat(Array.from({ length: count }, () => header)));
  await Promise.race([done, pause(WITHIN_MS)]);
  socket.destroy();
  return statuses;
}

for (const workers of ['0', '2']) {
  const mode = workers === '0' ? 'event loop' : `${workers} ring workers`;

  describe(`the edge (${mode})`, () => {
    let server: RunningServer;
    let dir: string;
    let config: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kvlab-edge-'));
      config = join(dir, 'kvlab.toml');
      writeFileSync(config, `rate-limit = ${RATE}\nrate-burst = ${BURST}\nrate-limit-mode = "delay"\n`);
      server = await startPhase('phase4', [
        '--config', config, '--workers', workers, '--max-connections', '260',
        '--max-connections-per-address', String(PER_ADDRESS), '-o', 'idle_timeout=2', '--partial-request-timeout', '1',
      ]);
    });
    after(async () => {
      assert.equal(await server.stop(), 0);
      rmSync(dir, { recursive: true, force: true });
    });

    test('delay: a client asking for far more than its rate gets its rate; another address is served meanwhile', T, async () => {
      const greedy = await openFrom(server.port, '127.0.0.2');
      const other = await openFrom(server.port, '127.0.0.1');
      const load = flood(greedy, 'mn\r\n', DEPTH);
      let served = 0;
      const started = Date.now();
      // The other client asks every 100 ms through the window: under its own rate, so never held.
      while (Date.now() - started < WINDOW_MS) {
        assert.match(await askUntil(other, 'version\r\n', '\r\n'), /^VERSION /);
        served++;
        await pause(100);
      }
      const got = load.total();
      const elapsed = Date.now() - started;
      load.stop();
      const stats = await statsOf(other);
      greedy.destroy();
      other.destroy();
      const expected = BURST + (RATE * elapsed) / 1000;
      console.log(`# ${mode}: ${got} replies in ${elapsed} ms at ${RATE}/s, burst ${BURST} (expected ${expected.toFixed(0)}); ${stats.get('rate_limit_delays')} delays`);
      assert.ok(served >= 10, `the other client was answered ${served} times`);
      // Every line so far was MN: not a count compared with `got`, since the replies in flight at
      // stop() go on arriving and being counted after it was taken.
      assert.deepEqual([...load.lines.keys()], ['MN'], 'delay mode never answers with an error');
      // ±10 % of the rate over the window, plus what was in flight when the count stopped.
      assert.ok(got >= BURST + (0.9 * RATE * elapsed) / 1000, `${got} replies: below the rate`);
      assert.ok(got <= BURST + (1.1 * RATE * elapsed) / 1000 + DEPTH, `${got} replies: above the rate`);
      assert.ok(Number(stats.get('rate_limit_delays')) > 0, 'delays are counted');
    });

    test('SIGHUP to reject: over the rate, SERVER_ERROR slow down (binary 0x86), counted; the connection carries on', T, async () => {
      writeFileSync(config, `rate-limit = ${RATE}\nrate-burst = ${REJECT_BURST}\nrate-limit-mode = "reject"\n`);
      process.kill(server.pid, 'SIGHUP');
      // The log line is JSON: the quotes around the values come escaped.
      await outputMatches(server, /configuration reloaded; changed: .*rate-limit-mode \\"delay\\" → \\"reject\\"/);
      const before = await statFrom(server.port, 'rate_limit_rejects');
      const socket = await openFrom(server.port, '127.0.0.3');
      // 200 requests at once, and no more: the burst passes, the rest are refused.
      const load = flood(socket, 'mn\r\n', 200);
      load.stop();
      while (load.total() < 200) await pause(20);
      const refused = load.lines.get('SERVER_ERROR slow down') ?? 0;
      assert.ok(refused > 0, 'some requests were refused');
      assert.equal((load.lines.get('MN') ?? 0) + refused, load.total(), 'every reply is MN or the refusal');
      socket.removeAllListeners('data');
      const later = await askPastRefusals(socket, 'version\r\n');
      // Refused or not, quit quits (and costs nothing): the bucket is empty again after the flood.
      const quitter = await openFrom(server.port, '127.0.0.3');
      const quitting = flood(quitter, 'mn\r\n', 100);
      quitting.stop();
      quitter.write('quit\r\n');
      await closedWithin(quitter, WITHIN_MS);
      const quitterRefused = quitting.lines.get('SERVER_ERROR slow down') ?? 0;
      assert.match(later.reply, /^VERSION /, 'the connection is served once the bucket refills');
      socket.destroy();
      const statuses = await binaryNoops(server.port, '127.0.0.4', 150);
      assert.equal(statuses.length, 150);
      assert.ok(statuses.includes(0x0086), 'binary: status 0x86 for a refused request');
      assert.ok(statuses.every((status) => status === 0 || status === 0x0086), `statuses ${[...new Set(statuses)].join(', ')}`);
      const binaryRefused = statuses.filter((status) => status === 0x0086).length;
      // With ring workers the count of the last turn comes back beside its replies: it may land a moment later.
      const expected = refused + later.refusals + quitterRefused + binaryRefused;
      let counted = await statFrom(server.port, 'rate_limit_rejects') - before;
      for (const deadline = Date.now() + WITHIN_MS; counted < expected && Date.now() < deadline; await pause(50)) {
        counted = await statFrom(server.port, 'rate_limit_rejects') - before;
      }
      assert.equal(counted, expected, 'rate_limit_rejects counts every refusal');
    });

    test(`a ${PER_ADDRESS + 1}th connection from one address is turned away; another address is not`, T, async () => {
      const before = await statFrom(server.port, 'rejected_address_connections');
      const held = await Promise.all(Array.from({ length: PER_ADDRESS }, () => openFrom(server.port, '127.0.0.6')));
      for (const socket of held) assert.match(await askUntil(socket, 'version\r\n', '\r\n'), /^VERSION /);
      const over = connect({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.6' });
      over.on('error', () => undefined);
      let said = '';
      over.on('data', (chunk: Buffer) => {
        said += chunk.toString('latin1');
      });
      await closedWithin(over, WITHIN_MS);
      assert.equal(said, 'ERROR Too many open connections\r\n');
      const elsewhere = await openFrom(server.port, '127.0.0.7');
      assert.match(await askUntil(elsewhere, 'version\r\n', '\r\n'), /^VERSION /);
      elsewhere.destroy();
      held[0]!.destroy();
      await closedWithin(held[0]!, WITHIN_MS);
      // The slot is given back once the server has seen the close: ask until it has.
      let again: Socket | null = null;
      for (let tries = 0; again === null; tries++) {
        const socket = await openFrom(server.port, '127.0.0.6');
        const reply = await askUntil(socket, 'version\r\n', '\r\n');
        if (/^VERSION /.test(reply)) again = socket;
        else {
          assert.ok(tries < 50, 'the slot of a closed connection was never given back');
          socket.destroy();
          await pause(20);
        }
      }
      for (const socket of [...held, again]) socket.destroy();
      assert.ok(await statFrom(server.port, 'rejected_address_connections') - before >= 1);
    });

    test('-o idle_timeout: a silent connection is closed and released, counted in idle_kicks; a talking one stays', T, async () => {
      const observer = await openFrom(server.port, '127.0.0.1');
      const stats = await statsOf(observer);
      assert.match(await askUntil(observer, 'stats settings\r\n', 'END\r\n'), /\r\nSTAT idle_timeout 2\r\n/, 'stats settings shows the idle timeout');
      observer.destroy();
      const kicks = Number(stats.get('idle_kicks'));
      const silent = await openFrom(server.port, '127.0.0.8');
      const talking = await openFrom(server.port, '127.0.0.9');
      const started = Date.now();
      const closed = closedWithin(silent, WITHIN_MS);
      // Talks every 500 ms, well inside the 2 s timeout, until the silent one is gone.
      let talked = 0;
      let silentGone = false;
      void closed.then(() => {
        silentGone = true;
      }, () => undefined);
      while (!silentGone && Date.now() - started < WITHIN_MS) {
        assert.match(await askUntil(talking, 'version\r\n', '\r\n'), /^VERSION /);
        talked++;
        await pause(500);
      }
      await closed;
      assert.ok(Date.now() - started >= 1900, `closed after ${Date.now() - started} ms, before the 2 s timeout`);
      assert.ok(talked >= 3 && !talking.destroyed, 'the talking connection is still served');
      assert.match(await askUntil(talking, 'version\r\n', '\r\n'), /^VERSION /);
      talking.destroy();
      assert.equal(await statFrom(server.port, 'idle_kicks') - kicks, 1, 'idle_kicks');
      assert.equal(stats.get('curr_connections'), String(await statFrom(server.port, 'curr_connections')), 'the kicked connection was released');
    });

    test(`${DRIBBLERS} connections dribbling a request are closed by the partial-request deadline; an honest client is served`, T, async () => {
      const before = await statFrom(server.port, 'partial_request_kicks');
      const logged = (server.output().match(/past the partial-request deadline/g) ?? []).length;
      const dribblers = await Promise.all(Array.from({ length: DRIBBLERS }, (_, i) => openFrom(server.port, `127.0.1.${i + 1}`)));
      // Half dribble a command line; half declare a value too large to keep, which the server
      // answers at once and then discards as it comes — a request still in progress all the same.
      dribblers.forEach((socket, i) => socket.write(i % 2 === 0 ? 'get ' : 'set k 0 0 1000000000\r\n'));
      const started = Date.now();
      // A byte every 300 ms: never idle, never a whole request.
      const dribble = setInterval(() => {
        for (const socket of dribblers) if (!socket.destroyed) socket.write('k');
      }, 300);
      try {
        const honest = await openFrom(server.port, '127.0.0.10');
        assert.match(await askUntil(honest, 'version\r\n', '\r\n'), /^VERSION /, 'served while the dribblers hold their slots');
        await Promise.all(dribblers.map((socket) => closedWithin(socket, WITHIN_MS)));
        const took = Date.now() - started;
        console.log(`# ${mode}: ${DRIBBLERS} dribbling connections closed within ${took} ms of a 1 s deadline`);
        assert.ok(took >= 900, `closed after ${took} ms, before the deadline`);
        assert.match(await askUntil(honest, 'version\r\n', '\r\n'), /^VERSION /, 'the honest client is still served');
        honest.destroy();
      } finally {
        clearInterval(dribble);
        for (const socket of dribblers) socket.destroy();
      }
      assert.equal(await statFrom(server.port, 'partial_request_kicks') - before, DRIBBLERS, 'partial_request_kicks');
      const lines = (server.output().match(/past the partial-request deadline/g) ?? []).length - logged;
      assert.ok(lines >= 1 && lines <= 1 + Math.ceil((Date.now() - started) / 1000), `${lines} log lines for ${DRIBBLERS} closes: at most one a second`);
    });
  });
}
