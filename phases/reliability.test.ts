/**
 * What careless and hostile clients must not do to any phase, in every threading mode: keep the
 * server from exiting on SIGTERM, make it queue replies without bound for a client that does not
 * read, or keep a connection open with a line that never ends.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPhase, type RunningServer } from '../shared/testing/server-process.ts';
import { askUntil as ask, openSocket as open, THREADING_MODES } from '../shared/testing/line-client.ts';

/** A bound on anything a server does on its own; far above what it needs on a busy machine. */
const WITHIN_MS = 15_000;

/** A value near the 1 MiB item limit: a few replies of it overflow any socket buffer. */
const VALUE_BYTES = 1_000_000;

async function stat(socket: Socket, name: string): Promise<number> {
  const reply = await ask(socket, 'stats\r\n', 'END\r\n');
  return Number(new RegExp(`STAT ${name} (\\d+)`).exec(reply)?.[1]);
}

/**
 * Polls a byte counter until it has reached `atLeast` and grows by less than `slack` in 200 ms (it
 * has settled: reading it over the wire moves it a little), bounded in time.
 */
async function settled(read: () => Promise<number>, atLeast: number, slack = 64 * 1024): Promise<number> {
  const deadline = Date.now() + WITHIN_MS;
  let last = await read();
  for (;;) {
    // A counter inside another process: there is no event to wait for, only its value to watch.
    await sleep(200);
    const now = await read();
    if ((now >= atLeast && now - last < slack) || Date.now() > deadline) return now;
    last = now;
  }
}

// Phases 3 and 4 with ring workers are phase 2's rings: their own runs add time and no new path.
const MODES = THREADING_MODES.filter((mode) => !((mode.phase === 'phase3' || mode.phase === 'phase4') && mode.args.includes('2')));

for (const { phase, args } of MODES) {
  const name = [phase, ...args].join(' ');

  test(`${name}: SIGTERM exits 0 even after a client over the connection limit sent a byte and stayed`, { timeout: 40_000 }, async () => {
    const server = await startPhase(phase, ['--max-connections', '1', ...args]);
    const sockets: Socket[] = [];
    try {
      const inside = await open(server.port);
      sockets.push(inside);
      assert.match(await ask(inside, 'version\r\n', '\r\n'), /^VERSION /);
      const turnedAway = await open(server.port);
      sockets.push(turnedAway);
      const refusal = once(turnedAway, 'data');
      turnedAway.write('v');
      assert.equal(String((await refusal)[0]), 'ERROR Too many open connections\r\n');
      const started = Date.now();
      const code = await server.stop(WITHIN_MS);
      assert.equal(code, 0, `exit status after SIGTERM (the server was killed after ${Date.now() - started} ms if -1)`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.stop(500);
    }
  });

  describe(`${name}: clients that misbehave`, () => {
    let server: RunningServer;
    let control: Socket;
    before(async () => {
      server = await startPhase(phase, args);
      control = await open(server.port);
      const value = 'b'.repeat(VALUE_BYTES);
      assert.equal(await ask(control, `set big 0 0 ${value.length}\r\n${value}\r\n`, '\r\n'), 'STORED\r\n');
    });
    after(async () => {
      control.destroy();
      assert.equal(await server.stop(WITHIN_MS), 0, 'SIGTERM must exit with status 0');
    });

    test('a client that never reads gets no more than the high-water mark queued, not a turn or a stream of replies', { timeout: 40_000 }, async () => {
      const before = await stat(control, 'bytes_written');
      const greedy = await open(server.port);
      try {
        greedy.pause();
        // 200 MB of replies asked for; a server that honours backpressure writes a few MB and waits.
        greedy.write('get big\r\n'.repeat(200));
        const written = (await settled(() => stat(control, 'bytes_written'), before + VALUE_BYTES)) - before;
        console.log(`# ${name}: ${(written / 1048576).toFixed(1)} MiB written towards a client that reads nothing`);
        // The high-water mark (1 MiB) plus one reply in the server, plus what loopback's socket
        // buffers hold in the kernel (a few MB); 64 replies of a turn would be 64 MB.
        const limit = 24 * 1024 * 1024;
        assert.ok(written < limit, `the server wrote ${(written / 1048576).toFixed(1)} MiB towards a client that read nothing (limit ${limit / 1048576} MiB)`);
      } finally {
        greedy.destroy();
      }
      // Everyone else is still served.
      assert.match(await ask(control, 'version\r\n', '\r\n'), /^VERSION /);
    });

    test('a 10 MiB line without a newline gets the connection closed', { timeout: 40_000 }, async () => {
      const long = await open(server.port);
      try {
        const closed = once(long, 'close');
        const line = Buffer.alloc(10 * 1024 * 1024, 'z');
        long.write(line);
        const outcome = await Promise.race([closed.then(() => 'closed'), sleep(WITHIN_MS).then(() => 'still open')]);
        assert.equal(outcome, 'closed', `after 10 MiB without a newline the connection is ${outcome}`);
      } finally {
        long.destroy();
      }
      assert.match(await ask(control, 'version\r\n', '\r\n'), /^VERSION /);
    });
  });
}
