/**
 * Phase 4 over TCP with the slab store, on the event loop and with ring workers: a cache filled
 * past -m keeps storing (evicting the oldest) and every connection — served by whichever worker —
 * sees the same memory; with -M a full cache answers memcached's out-of-memory error instead.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPhase } from '../../../../shared/testing/server-process.ts';
import { askUntil as ask, openSocket as open } from '../../../../shared/testing/line-client.ts';

/** 200 KiB values, 60 of them: 12 MiB into an 8 MiB cache. */
const VALUE = 'v'.repeat(200 * 1024);
const COUNT = 60;

async function statsOf(port: number, group: string): Promise<Map<string, string>> {
  const socket = await open(port);
  try {
    const reply = await ask(socket, `stats${group === '' ? '' : ` ${group}`}\r\n`, 'END\r\n');
    return new Map(reply.split('\r\n').filter((line) => line.startsWith('STAT ')).map((line) => {
      const [, name, value] = line.split(' ');
      return [name!, value!] as const;
    }));
  } finally {
    socket.destroy();
  }
}

for (const workers of ['0', '2']) {
  describe(`phase 4's slab store, --workers ${workers}`, { timeout: 60_000 }, () => {
    test('a cache filled past -m stores everything, evicts the oldest and stays within its pages', async () => {
      const server = await startPhase('phase4', ['--workers', workers, '-m', '8']);
      try {
        const writer = await open(server.port);
        for (let i = 0; i < COUNT; i++) {
          assert.equal(await ask(writer, `set big${i} 0 0 ${VALUE.length}\r\n${VALUE}\r\n`, '\r\n'), 'STORED\r\n', `big${i}`);
        }
        writer.destroy();
        // Another connection (another worker, with two) reads the same memory.
        const reader = await open(server.port);
        assert.equal(await ask(reader, 'get big0\r\n', 'END\r\n'), 'END\r\n', 'the oldest value was evicted');
        assert.equal(await ask(reader, `get big${COUNT - 1}\r\n`, 'END\r\n'), `VALUE big${COUNT - 1} 0 ${VALUE.length}\r\n${VALUE}\r\nEND\r\n`);
        reader.destroy();
        const stats = await statsOf(server.port, '');
        assert.ok(Number(stats.get('evictions')) > 0, `evictions ${stats.get('evictions')}`);
        assert.equal(stats.get('limit_maxbytes'), String(8 * 1024 * 1024));
        const slabs = await statsOf(server.port, 'slabs');
        assert.ok(Number(slabs.get('total_malloced')) <= 8 * 1024 * 1024, `total_malloced ${slabs.get('total_malloced')}`);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    });
  });
}

test('phase 4 with -M answers SERVER_ERROR out of memory storing object once full', { timeout: 60_000 }, async () => {
  const server = await startPhase('phase4', ['-m', '8', '-M']);
  try {
    const socket = await open(server.port);
    let reply = '';
    for (let i = 0; i < COUNT && reply !== 'SERVER_ERROR out of memory storing object\r\n'; i++) {
      reply = await ask(socket, `set big${i} 0 0 ${VALUE.length}\r\n${VALUE}\r\n`, '\r\n');
    }
    assert.equal(reply, 'SERVER_ERROR out of memory storing object\r\n');
    assert.equal(await ask(socket, 'get big0\r\n', 'END\r\n'), `VALUE big0 0 ${VALUE.length}\r\n${VALUE}\r\nEND\r\n`, 'nothing evicted');
    assert.equal(await ask(socket, 'stats settings\r\n', 'END\r\n').then((s) => /STAT evictions off\r\n/.test(s)), true);
    socket.destroy();
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
