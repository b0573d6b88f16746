/**
 * Phase 1's own behaviour beyond the common suite: the blocking model still answers pipelined
 * commands in order, inline mode works, the connection limit answers memcached's error, bad
 * options are refused, and SIGTERM closes cleanly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { phaseArgs, startPhase, type RunningServer } from '../../../shared/testing/server-process.ts';

/** Sends `send` on a new socket and collects what comes back until `done` holds or the socket closes. */
function exchange(port: number, send: string | Buffer, done: number | RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (typeof done === 'number' ? received.length >= done : done.test(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(send);
  });
}

for (const workers of ['2', '0']) {
  describe(`phase 1 with --workers ${workers}`, () => {
    let server: RunningServer;
    before(async () => {
      server = await startPhase('phase1', ['--workers', workers, '--memory-mb', '8']);
    });
    after(async () => {
      assert.equal(await server.stop(), 0, 'SIGTERM must exit with status 0');
    });

    test('pipelined commands are answered one after another, in order', { timeout: 10000 }, async () => {
      const count = 500;
      let send = '';
      let expected = '';
      for (let i = 0; i < count; i++) {
        send += `set p${i} ${i} 0 ${String(i).length}\r\n${i}\r\nget p${i}\r\n`;
        expected += `STORED\r\nVALUE p${i} ${i} ${String(i).length}\r\n${i}\r\nEND\r\n`;
      }
      assert.equal(await exchange(server.port, send, expected.length), expected);
    });

    test('the store is shared by every connection', { timeout: 10000 }, async () => {
      await exchange(server.port, 'set shared 0 0 3\r\nabc\r\n', 'STORED\r\n'.length);
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => exchange(server.port, 'get shared\r\n', 'VALUE shared 0 3\r\nabc\r\nEND\r\n'.length)),
      );
      for (const reply of replies) assert.equal(reply, 'VALUE shared 0 3\r\nabc\r\nEND\r\n');
    });

    test('stats reports the thread count and live connections', { timeout: 10000 }, async () => {
      const reply = await exchange(server.port, 'stats\r\n', /END\r\n$/);
      assert.match(reply, new RegExp(`STAT threads ${Math.max(1, Number(workers))}\\r\\n`));
      assert.match(reply, /STAT curr_connections [1-9]\d*\r\n/);
      assert.match(reply, /STAT version 1\.6\.18-kvlab-phase1\r\n/);
    });
  });
}

describe('phase 1 limits and options', () => {
  test('a client over --max-connections hears memcached\'s error and is closed', { timeout: 10000 }, async () => {
    const server = await startPhase('phase1', ['--workers', '1', '--max-connections', '2']);
    try {
      const held = [connect({ host: '127.0.0.1', port: server.port }), connect({ host: '127.0.0.1', port: server.port })];
      // Make sure both are accepted before the third arrives.
      for (const socket of held) {
        socket.write('version\r\n');
        await once(socket, 'data');
      }
      assert.equal(await exchange(server.port, 'version\r\n', /never$/), 'ERROR Too many open connections\r\n');
      for (const socket of held) socket.destroy();
    } finally {
      await server.stop();
    }
  });

  test('a full store answers SERVER_ERROR out of memory storing object', { timeout: 20000 }, async () => {
    const server = await startPhase('phase1', ['--workers', '1', '--memory-mb', '1']);
    try {
      const value = 'x'.repeat(100_000);
      let send = '';
      for (let i = 0; i < 40; i++) send += `set fill${i} 0 0 ${value.length}\r\n${value}\r\n`;
      send += 'version\r\n';
      const reply = await exchange(server.port, send, /VERSION .*\r\n$/);
      assert.match(reply, /SERVER_ERROR out of memory storing object\r\n/);
      assert.match(reply, /VERSION /);
    } finally {
      await server.stop();
    }
  });

  test('an out-of-range option is refused with the usage text', { timeout: 10000 }, async () => {
    const child = spawn(process.execPath, phaseArgs('phase1', ['--workers=-3']), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 2);
    assert.match(stderr, /--workers must be between 0 and 256/);
    assert.match(stderr, /usage:/);
  });
});
