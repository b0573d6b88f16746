// The client over the binary protocol, against real memcached and phase 2 alike: every command,
// misses, pipelined replies in order, and pooled connections that break.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memcachedInstalled, startMemcached, startPhase, type RunningServer } from '../testing/server-process.ts';
import { Client } from './client.ts';
import { ClientError } from './client-errors.ts';
import { codecFor, type ProtocolName } from './codecs.ts';
import { Connection } from './connection.ts';
import { startCutProxy, type CutProxy } from './test/cut-proxy.ts';

const isCode = (code: string) => (error: unknown) => error instanceof ClientError && error.code === code;

const TARGETS: [string, () => Promise<RunningServer>, string | false][] = [
  ['memcached', () => startMemcached(), memcachedInstalled() ? false : 'memcached is not installed'],
  ['phase 2', () => startPhase('phase2'), false],
];

test('a protocol without a codec is refused before any connection is made', { timeout: 5000 }, async () => {
  assert.throws(() => codecFor('binary-v2'), isCode('UNSUPPORTED'));
  // Port 9 (discard) is never dialled: the name is checked first.
  await assert.rejects(Connection.connect({ port: 9, protocol: 'binary-v2' as ProtocolName }), isCode('UNSUPPORTED'));
});

for (const [name, start, skip] of TARGETS) {
  describe(`binary client against ${name}`, { timeout: 30_000, skip }, () => {
    let server: RunningServer;
    let client: Client;
    before(async () => {
      server = await start();
      client = new Client({ port: server.port, protocol: 'binary', max: 4 });
    });
    after(async () => {
      await client.close();
      await server.stop();
    });

    test('set, get, a miss, add, replace, append, prepend, delete', async () => {
      assert.equal(await client.get('bin:missing'), undefined);
      assert.equal(await client.set('bin:k', 'middle', { flags: 3 }), true);
      const item = await client.get('bin:k');
      assert.deepEqual([item?.key, item?.flags, item?.value.toString(), typeof item?.cas], ['bin:k', 3, 'middle', 'bigint']);
      assert.equal(await client.add('bin:k', 'x'), false);
      assert.equal(await client.add('bin:new', 'x'), true);
      assert.equal(await client.replace('bin:absent', 'x'), false);
      assert.equal(await client.replace('bin:k', 'middle'), true);
      assert.equal(await client.append('bin:k', '>'), true);
      assert.equal(await client.prepend('bin:k', '<'), true);
      assert.equal(await client.append('bin:absent', 'x'), false);
      const changed = await client.get('bin:k');
      assert.equal(changed?.value.toString(), '<middle>');
      assert.equal(changed?.flags, 0, 'replace without flags stores flags 0');
      assert.equal(await client.delete('bin:k'), true);
      assert.equal(await client.delete('bin:k'), false);
      assert.equal(await client.get('bin:k'), undefined);
    });

    test('gets and cas', async () => {
      await client.set('bin:c', 'one');
      const item = await client.gets('bin:c');
      assert.equal(await client.cas('bin:c', 'two', item!.cas!), 'STORED');
      assert.equal(await client.cas('bin:c', 'three', item!.cas!), 'EXISTS');
      assert.equal(await client.cas('bin:absent', 'x', 1n), 'NOT_FOUND');
      assert.equal((await client.get('bin:c'))?.value.toString(), 'two');
    });

    test('incr wraps at 2^64, decr stops at 0, a miss is undefined and creates nothing', async () => {
      await client.set('bin:n', '18446744073709551615');
      assert.equal(await client.incr('bin:n', 2), 1n);
      assert.equal(await client.decr('bin:n', 5), 0n);
      assert.equal(await client.incr('bin:nothing'), undefined);
      assert.equal(await client.get('bin:nothing'), undefined);
      await client.set('bin:word', 'abc');
      await assert.rejects(client.incr('bin:word'), (error: unknown) => {
        assert.ok(error instanceof ClientError && error.code === 'SERVER_REPLY');
        assert.equal(error.reply?.kind === 'error' && error.reply.code, 'NON_NUMERIC');
        return true;
      });
    });

    test('getMany, touch, version, stats, flushAll', async () => {
      await client.set('bin:m1', 'a');
      await client.set('bin:m2', 'b');
      const found = await client.getMany(['bin:m1', 'bin:nope', 'bin:m2']);
      assert.deepEqual([...found.keys()].sort(), ['bin:m1', 'bin:m2']);
      assert.equal(found.get('bin:m2')?.value.toString(), 'b');
      assert.equal((await client.getMany(['bin:nope1', 'bin:nope2'])).size, 0);
      assert.equal(await client.touch('bin:m1', 100), true);
      assert.equal(await client.touch('bin:nope', 100), false);
      assert.match(await client.version(), /^1\.\d+\.\d+/);
      assert.ok(Number((await client.stats()).get('curr_connections')) >= 1);
      await client.flushAll();
      assert.equal(await client.get('bin:m1'), undefined);
    });

    test('what a binary client stores, a text client reads', async () => {
      await client.set('bin:shared', 'both ways', { flags: 9 });
      const text = new Client({ port: server.port, protocol: 'text', max: 1 });
      try {
        const item = await text.get('bin:shared');
        assert.deepEqual([item?.value.toString(), item?.flags], ['both ways', 9]);
      } finally {
        await text.close();
      }
    });

    test('500 pipelined requests on one connection get their own replies, in order', async () => {
      const connection = await Connection.connect({ port: server.port, protocol: 'binary' });
      const count = 500;
      const stores = [];
      for (let i = 0; i < count; i++) {
        stores.push(connection.request({ op: 'set', key: `bin:pipe:${i}`, value: Buffer.from(`value ${i}`), flags: i }));
      }
      const gets = [];
      // Hits, misses and multi-gets interleaved, so a misaligned reply could not go unnoticed.
      for (let i = 0; i < count; i++) {
        const keys = i % 3 === 0 ? [`bin:absent:${i}`] : i % 3 === 1 ? [`bin:pipe:${i}`] : [`bin:pipe:${i}`, `bin:absent:${i}`, `bin:pipe:${i - 1}`];
        gets.push(connection.request({ op: 'get', keys }));
      }
      assert.equal(connection.inFlight, count * 2);
      for (const reply of await Promise.all(stores)) assert.deepEqual(reply, { kind: 'status', status: 'STORED' });
      (await Promise.all(gets)).forEach((reply, i) => {
        assert.equal(reply.kind, 'values');
        if (reply.kind !== 'values') return;
        const expected = i % 3 === 0 ? [] : i % 3 === 1 ? [i] : [i, i - 1];
        assert.deepEqual(reply.items.map((item) => [item.key, item.flags, item.value.toString()]), expected.map((j) => [`bin:pipe:${j}`, j, `value ${j}`]));
      });
      await connection.end();
    });

    describe('a pooled connection that breaks', () => {
      let proxy: CutProxy;
      let pooled: Client;
      before(async () => {
        proxy = await startCutProxy(server.port);
        pooled = new Client({ port: proxy.port, protocol: 'binary', max: 1 });
      });
      after(async () => {
        await pooled.close();
        await proxy.close();
      });

      test('while idle: it is dropped and the next call gets a fresh connection', async () => {
        const first = await pooled.pool.acquire();
        assert.deepEqual(await first.request({ op: 'set', key: 'bin:pool', value: Buffer.from('kept') }), { kind: 'status', status: 'STORED' });
        pooled.pool.release(first);
        assert.equal(pooled.pool.idleCount, 1);
        await proxy.cut();
        // Until the close reaches the client, nothing can tell a broken idle connection from a good one.
        await first.closed;
        assert.equal(pooled.pool.idleCount, 0, 'it left the idle stack when it closed');
        assert.equal((await pooled.get('bin:pool'))?.value.toString(), 'kept', 'the server kept the data');
        assert.equal(proxy.accepted(), 2);
        assert.equal(pooled.pool.size, 1);
      });

      test('in flight: the requests fail with CONNECTION_CLOSED and the pool recovers', async () => {
        const connection = await pooled.pool.acquire();
        await connection.request({ op: 'version' });
        // cut() tears the proxy's sockets down before it first yields: the get's reply cannot come.
        const stalled = connection.request({ op: 'get', keys: ['bin:pool'] });
        const cut = proxy.cut();
        await assert.rejects(stalled, isCode('CONNECTION_CLOSED'));
        await cut;
        assert.equal(connection.usable, false);
        pooled.pool.release(connection);
        assert.equal(pooled.pool.size, 0, 'the broken connection left the pool');
        assert.equal((await pooled.get('bin:pool'))?.value.toString(), 'kept');
      });
    });
  });
}
