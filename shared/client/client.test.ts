// The client's command methods, against real memcached.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memcachedInstalled, type RunningServer } from '../testing/server-process.ts';
import { startMemcached } from '../testing/server-process.ts';
import { Client } from './client.ts';
import { ClientError } from './client-errors.ts';

describe('client against memcached', { timeout: 20_000, skip: memcachedInstalled() ? false : 'memcached is not installed' }, () => {
  let memcached: RunningServer;
  let client: Client;
  before(async () => {
    memcached = await startMemcached();
    client = new Client({ port: memcached.port, max: 4 });
  });
  after(async () => {
    await client.close();
    await memcached.stop();
  });

  test('set, get, add, replace, append, prepend, delete', async () => {
    assert.equal(await client.get('missing'), undefined);
    assert.equal(await client.set('k', 'middle', { flags: 3 }), true);
    assert.equal(await client.add('k', 'x'), false);
    assert.equal(await client.replace('k', 'middle'), true);
    assert.equal(await client.append('k', '>'), true);
    assert.equal(await client.prepend('k', '<'), true);
    const item = await client.get('k');
    assert.equal(item?.value.toString(), '<middle>');
    assert.equal(item?.flags, 0, 'replace without flags stores flags 0');
    assert.equal(await client.delete('k'), true);
    assert.equal(await client.delete('k'), false);
    assert.equal(await client.append('k', 'x'), false);
  });

  test('gets and cas', async () => {
    await client.set('c', 'one');
    const item = await client.gets('c');
    assert.equal(typeof item?.cas, 'bigint');
    assert.equal(await client.cas('c', 'two', item!.cas!), 'STORED');
    assert.equal(await client.cas('c', 'three', item!.cas!), 'EXISTS');
    assert.equal(await client.cas('absent', 'x', 1n), 'NOT_FOUND');
  });

  test('incr wraps at 2^64, decr stops at 0, a miss is undefined', async () => {
    await client.set('n', '18446744073709551615');
    assert.equal(await client.incr('n', 2), 1n);
    assert.equal(await client.decr('n', 5), 0n);
    assert.equal(await client.incr('nothing'), undefined);
  });

  test('getMany, touch, version, stats, flushAll', async () => {
    await client.set('m1', 'a');
    await client.set('m2', 'b');
    const found = await client.getMany(['m1', 'nope', 'm2']);
    assert.deepEqual([...found.keys()].sort(), ['m1', 'm2']);
    assert.equal(await client.touch('m1', 100), true);
    assert.equal(await client.touch('nope', 100), false);
    assert.match(await client.version(), /^1\.\d+\.\d+/);
    assert.ok(Number((await client.stats()).get('curr_connections')) >= 1);
    await client.flushAll();
    assert.equal(await client.get('m1'), undefined);
  });

  test('an error reply is raised as SERVER_REPLY with the catalogue code', async () => {
    await client.set('word', 'abc');
    await assert.rejects(client.incr('word'), (error: unknown) => {
      assert.ok(error instanceof ClientError);
      assert.equal(error.code, 'SERVER_REPLY');
      assert.equal(error.reply?.kind === 'error' && error.reply.code, 'NON_NUMERIC');
      return true;
    });
    await assert.rejects(client.get('bad key'), (error: unknown) => error instanceof ClientError && error.code === 'BAD_REQUEST');
  });

  test('many concurrent calls share at most max connections', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => client.set(`many:${i}`, String(i))));
    assert.ok(results.every(Boolean));
    assert.ok(client.pool.size <= 4);
  });
});
