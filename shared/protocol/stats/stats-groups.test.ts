/** The stats groups over a real SharedStore and the phases' ServerInfo: what each group answers, and what reset and detail do. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SharedStore } from '../../store/shared-store.ts';
import { basicServerInfo } from '../../runtime/basic-server-info.ts';
import { ServerCounters } from '../../runtime/server-counters.ts';
import { PREFIX_SLOTS } from '../../runtime/prefix-table.ts';
import { answerStats, binaryStatsRequest, type StatsAnswer } from './stats-groups.ts';
import { GENERAL_ORDER } from './stat-order.ts';

function setup() {
  const store = SharedStore.create({ memoryBytes: 1024 * 1024 });
  const counters = new ServerCounters();
  const server = basicServerInfo({ version: '1.6.18-test', startedAtMs: Date.now(), maxConnections: 10, threads: 1, settings: [] }, counters);
  return { store, counters, server };
}

function statsOf(answer: StatsAnswer): Map<string, string | number> {
  assert.equal(answer.kind, 'stats');
  return new Map(answer.kind === 'stats' ? answer.stats : []);
}

describe('stats groups', { timeout: 5000 }, () => {
  test('general: server and store keys merged in memcached\'s order', () => {
    const { store, server } = setup();
    const answer = answerStats({ group: '' }, store, server);
    const names = [...statsOf(answer).keys()];
    assert.deepEqual(names, GENERAL_ORDER.filter((name) => names.includes(name)));
    for (const name of ['cmd_meta', 'store_too_large', 'conn_yields', 'hash_power_level', 'direct_reclaims']) assert.ok(names.includes(name), name);
  });

  test('items and slabs report the size class an item lives in', () => {
    const { store, server } = setup();
    store.store('set', 'k', 0, 0, Buffer.from('hello'));
    const items = statsOf(answerStats({ group: 'items' }, store, server));
    assert.equal(items.get('items:1:number'), 1);
    const slabs = statsOf(answerStats({ group: 'slabs' }, store, server));
    assert.equal(slabs.get('1:chunk_size'), 64);
    assert.equal(slabs.get('1:used_chunks'), 1);
    assert.equal(slabs.get('active_slabs'), 1);
    assert.equal(slabs.get('total_malloced'), 64);
    store.delete('k');
    assert.equal(statsOf(answerStats({ group: 'slabs' }, store, server)).get('1:free_chunks'), 1);
    assert.equal(statsOf(answerStats({ group: 'items' }, store, server)).size, 0);
  });

  test('reset zeroes events and keeps the present, in the store and the server', () => {
    const { store, counters, server } = setup();
    store.store('set', 'k', 0, 0, Buffer.from('v'));
    store.get('k');
    counters.connectionOpened();
    counters.read(100);
    server.count('cmd_meta');
    assert.deepEqual(answerStats({ group: 'reset' }, store, server), { kind: 'done', word: 'RESET' });
    const after = statsOf(answerStats({ group: '' }, store, server));
    for (const name of ['cmd_get', 'get_hits', 'cmd_set', 'total_items', 'total_connections', 'bytes_read', 'cmd_meta']) assert.equal(Number(after.get(name)), 0, name);
    assert.equal(after.get('curr_items'), 1);
    assert.equal(after.get('curr_connections'), 1);
  });

  test('detail: on, records by prefix, dumps in memcached\'s format, off; a missing word is the usage error', () => {
    const { store, server } = setup();
    assert.deepEqual(answerStats({ group: 'detail' }, store, server), { kind: 'error', code: 'STATS_DETAIL_USAGE' });
    assert.deepEqual(answerStats({ group: 'detail', arg: 'on' }, store, server), { kind: 'done', word: 'OK' });
    server.detail.recordSet('user:1');
    server.detail.recordGet('user:1', true);
    server.detail.recordGet('user:2', false);
    server.detail.recordDelete('nodelimiter');
    assert.deepEqual(answerStats({ group: 'detail', arg: 'dump' }, store, server), { kind: 'dump', text: 'PREFIX user get 2 hit 1 set 1 del 0\r\nEND\r\n' });
    assert.equal(statsOf(answerStats({ group: 'settings' }, store, server)).get('detail_enabled'), 'yes');
    answerStats({ group: 'detail', arg: 'off' }, store, server);
    assert.equal(server.detail.enabled, false);
  });

  test('the prefix table is bounded: past its slots new prefixes are dropped, known ones still count', () => {
    const { counters } = setup();
    const table = counters.prefixes;
    for (let i = 0; i < PREFIX_SLOTS + 10; i++) table.recordSet(`p${i}:k`);
    table.recordSet('p0:k');
    assert.equal(table.rows().length, PREFIX_SLOTS);
    assert.equal(table.dropped, 10);
    assert.equal(table.rows().find((row) => row.prefix === 'p0')?.sets, 2);
  });

  test('unknown groups and the switches this server lacks answer ERROR; cachedump is not allowed', () => {
    const { store, server } = setup();
    for (const group of ['bogus', 'sizes_enable', 'sizes_disable', 'extstore']) {
      assert.deepEqual(answerStats({ group }, store, server), { kind: 'error', code: 'UNKNOWN_COMMAND' }, group);
    }
    assert.deepEqual(answerStats({ group: 'cachedump', arg: '1' }, store, server), { kind: 'error', code: 'STATS_CACHEDUMP_NOT_ALLOWED' });
    assert.deepEqual(answerStats({ group: 'sizes' }, store, server), { kind: 'stats', stats: [['sizes_status', 'disabled']] });
  });

  test('binary Stat keys: prefixes for reset, settings and detail, exact names for the rest, no conns', () => {
    assert.deepEqual(binaryStatsRequest(''), { group: '' });
    assert.deepEqual(binaryStatsRequest('settingsX'), { group: 'settings' });
    assert.deepEqual(binaryStatsRequest('resetfoo'), { group: 'reset' });
    assert.deepEqual(binaryStatsRequest('detail dump'), { group: 'detail', arg: 'dump' });
    assert.equal(binaryStatsRequest('detail'), undefined);
    assert.deepEqual(binaryStatsRequest('items'), { group: 'items' });
    assert.equal(binaryStatsRequest('itemsX'), undefined);
    assert.equal(binaryStatsRequest('conns'), undefined);
  });

  test('event counters carry past 2^32', () => {
    const { counters } = setup();
    const ints = new Int32Array(counters.buffer);
    // conn_yields' low word is Int32 slot 4: start it one below the carry.
    ints[4] = -1;
    counters.connectionYielded();
    assert.equal(counters.event('conn_yields'), 2 ** 32);
  });
});
