/**
 * The `stats` check: the general statistics exist, hold sensible values, and move exactly as
 * memcached's do (cmd_get counts keys, not commands). It runs first, alone, so that no other
 * test's traffic muddies the counts.
 * @module
 */
import assert from 'node:assert/strict';
import { GENERAL_STATS } from '../capabilities.ts';
import type { Target } from '../target.ts';
import { WireConnection } from '../wire-connection.ts';
import { ask, readStats } from './ask.ts';

/** How far the server's `time` may be from ours: the same machine, but memcached's clock ticks once a second. */
const CLOCK_SLACK_S = 5;

/** Statistics that are counts, times or sizes: non-negative integers. */
const INTEGER_STATS = GENERAL_STATS.filter((name) => name !== 'version');

function count(stats: Map<string, string>, name: string): number {
  return Number(stats.get(name));
}

/** Checks the general statistics of `target`, using keys that start with `prefix`. */
export async function checkGeneralStats(target: Target, prefix: string): Promise<void> {
  const main = await WireConnection.open(target.host, target.port);
  let other: WireConnection | null = null;
  try {
    const before = await readStats(main);
    const shown = [...before].map(([name, value]) => `${name}=${value}`).join(' ');
    for (const name of GENERAL_STATS) assert.ok(before.has(name), `${target.label}: stats has no "${name}"; it sent: ${shown}`);
    for (const name of INTEGER_STATS) {
      assert.match(before.get(name) ?? '', /^\d+$/, `${target.label}: stat ${name} should be a non-negative integer`);
    }
    if (target.pid !== null) assert.equal(count(before, 'pid'), target.pid, `${target.label}: stat pid is not the server's process id`);
    const now = Date.now() / 1000;
    assert.ok(Math.abs(count(before, 'time') - now) <= CLOCK_SLACK_S, `${target.label}: stat time ${before.get('time')} is not now (${Math.round(now)})`);
    const version = await ask(main, 'version\r\n', '\r\n');
    assert.equal(`VERSION ${before.get('version')}\r\n`, version, `${target.label}: stat version differs from the version command`);

    const [a, b] = [`${prefix}-a`, `${prefix}-b`];
    assert.equal(await ask(main, `set ${a} 0 0 1\r\nx\r\n`, '\r\n'), 'STORED\r\n');
    assert.equal(await ask(main, `set ${b} 0 0 2\r\nyy\r\n`, '\r\n'), 'STORED\r\n');
    assert.equal(await ask(main, `get ${a} ${b} ${prefix}-none\r\n`, 'END\r\n'), `VALUE ${a} 0 1\r\nx\r\nVALUE ${b} 0 2\r\nyy\r\nEND\r\n`);
    other = await WireConnection.open(target.host, target.port);
    await ask(other, 'version\r\n', '\r\n');
    const after = await readStats(main);

    const moved = (name: string) => count(after, name) - count(before, name);
    const expected: Record<string, number> = {
      cmd_set: 2, curr_items: 2, total_items: 2, cmd_get: 3, get_hits: 2, get_misses: 1, curr_connections: 1, total_connections: 1,
    };
    const actual = Object.fromEntries(Object.keys(expected).map((name) => [name, moved(name)]));
    assert.deepEqual(actual, expected, `${target.label}: after 2 sets, a get of 3 keys (2 hits) and one more connection, the stats moved by`);
    assert.ok(moved('bytes') > 0, `${target.label}: stat bytes did not grow when 2 items were stored`);
    assert.ok(count(after, 'uptime') >= count(before, 'uptime'), `${target.label}: stat uptime went backwards`);
  } finally {
    main.destroy();
    other?.destroy();
  }
}
