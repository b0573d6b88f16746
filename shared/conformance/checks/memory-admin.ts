/**
 * memcached's memory admin commands, reply for reply: cache_memlimit (too small, not a number,
 * the current limit again), slabs reassign (same class, no such class, not numbers), slabs
 * automove, and lru_crawler crawl. Only answers that do not depend on what the cache holds are
 * asserted, so the same check passes against memcached and against any slab store; the limit is
 * set to the value it already has, so nothing else in the suite sees a change.
 * @module
 */
import assert from 'node:assert/strict';
import type { Target } from '../target.ts';
import { WireConnection } from '../wire-connection.ts';
import { ask, readStats } from './ask.ts';

/** A class id no server has: memcached allows at most 63 classes. */
const NO_CLASS = 200;

/** Each command and memcached 1.6.18's reply to it. */
const EXCHANGES: readonly (readonly [string, string])[] = [
  ['cache_memlimit 4', 'MEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m'],
  ['cache_memlimit abc', 'ERROR'],
  ['cache_memlimit', 'ERROR'],
  ['cache_memlimit -5', 'ERROR'],
  ['cache_memlimit 100000000000', 'MEMLIMIT_ADJUST_FAILED input value is megabytes not bytes'],
  ['slabs reassign 1 1', 'SAME src and dst class are identical'],
  [`slabs reassign ${NO_CLASS} 1`, 'BADCLASS invalid src or dst class id'],
  ['slabs reassign 1 -1', 'BADCLASS invalid src or dst class id'],
  ['slabs reassign a b', 'CLIENT_ERROR bad command line format'],
  ['slabs reassign 1', 'ERROR'],
  ['slabs automove 3', 'ERROR'],
  ['slabs automove x', 'CLIENT_ERROR bad command line format'],
  ['slabs automove 1', 'OK'],
  ['slabs', 'ERROR'],
  ['lru_crawler crawl all', 'OK'],
  [`lru_crawler crawl ${NO_CLASS}`, 'BADCLASS invalid class id'],
  ['lru_crawler crawl 1,x', 'BADCLASS invalid class id'],
  ['lru_crawler sleep 100', 'OK'],
  ['lru_crawler sleep x', 'CLIENT_ERROR bad command line format'],
  ['lru_crawler foo', 'ERROR'],
];

/** Runs every exchange, then sets the limit to what it is and checks OK and an unchanged limit_maxbytes. */
export async function checkMemoryAdmin(target: Target): Promise<void> {
  const connection = await WireConnection.open(target.host, target.port);
  try {
    for (const [command, reply] of EXCHANGES) {
      assert.equal(await ask(connection, `${command}\r\n`, '\r\n'), `${reply}\r\n`, `${target.label}: ${command}`);
    }
    const before = (await readStats(connection)).get('limit_maxbytes');
    assert.ok(before !== undefined, `${target.label}: stats has limit_maxbytes`);
    const mb = Number(before) / (1024 * 1024);
    assert.equal(await ask(connection, `cache_memlimit ${mb}\r\n`, '\r\n'), 'OK\r\n', `${target.label}: cache_memlimit ${mb}`);
    assert.equal((await readStats(connection)).get('limit_maxbytes'), before, `${target.label}: limit_maxbytes after cache_memlimit ${mb}`);
  } finally {
    connection.destroy();
  }
}
