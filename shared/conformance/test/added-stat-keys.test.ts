/**
 * The `stats` keys KV Lab's parts add beyond memcached's default list are the ones the stats-keys
 * check accepts (ADDED_GENERAL): a part that adds a line without declaring it there would fail the
 * conformance suite only in the configuration that turns the part on — this says so at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADDED_GENERAL, MEMCACHED_GENERAL } from '../checks/memcached-stat-keys.ts';
import { GUARD_STATS } from '../../runtime/guard-counters.ts';
import { GENERAL_ORDER } from '../../protocol/stats/stat-order.ts';
import { PersistenceStats } from '../../../phases/phase4/persistence/persistence-stats.ts';

const T = { timeout: 5000 };

test('the edge\'s counters and persistence\'s lines are all declared additions', T, () => {
  const persistence = new PersistenceStats().lines('everysec').map(([name]) => name);
  const undeclared = [...GUARD_STATS, ...persistence].filter((name) => !(name in ADDED_GENERAL));
  assert.deepEqual(undeclared, []);
});

test('no addition is one of memcached\'s default keys, and memcached\'s own option keys keep memcached\'s place', T, () => {
  const added = Object.keys(ADDED_GENERAL);
  assert.deepEqual(added.filter((name) => (MEMCACHED_GENERAL as readonly string[]).includes(name)), []);
  // idle_kicks and the ssl_* counters are memcached's: the server prints them where memcached does.
  const memcachedOwn = added.filter((name) => ADDED_GENERAL[name]!.startsWith('memcached'));
  assert.deepEqual(memcachedOwn.filter((name) => !GENERAL_ORDER.includes(name)), []);
  assert.ok(memcachedOwn.length > 0);
});
