/** Precedence: the strongest source wins whatever the order, the last of one source wins, origins follow. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PRECEDENCE, type Given, type Origin } from '../origin.ts';
import { describeOrigin, mergeSources } from '../precedence.ts';

const T = { timeout: 10_000 };
const FILE: Origin = { kind: 'file', path: '/etc/kvlab.toml', key: 'port' };
const ENV: Origin = { kind: 'env', variable: 'KVLAB_PORT' };
const FLAG: Origin = { kind: 'flag', flag: '-p' };

describe('mergeSources', () => {
  test('no source: every default, with a default origin', T, () => {
    const defaults = { port: 11211, host: '127.0.0.1' };
    const merged = mergeSources(defaults, []);
    assert.deepEqual(merged.values, defaults);
    assert.deepEqual(merged.origins, { port: { kind: 'default' }, host: { kind: 'default' } });
  });

  test('flag > env > file > default, in any order given', T, () => {
    const given: Given[] = [
      { option: 'port', value: '3', origin: FLAG },
      { option: 'port', value: '2', origin: ENV },
      { option: 'port', value: 1, origin: FILE },
    ];
    for (const order of [given, [...given].reverse(), [given[1]!, given[0]!, given[2]!]]) {
      const merged = mergeSources({ port: 11211 }, order);
      assert.equal(merged.values.port, '3');
      assert.deepEqual(merged.origins.port, FLAG);
    }
    assert.equal(mergeSources({ port: 0 }, [given[2]!, given[1]!]).values.port, '2');
    assert.equal(mergeSources({ port: 0 }, [given[2]!]).values.port, 1);
  });

  test('within one source the last value wins, as getopt does', T, () => {
    const merged = mergeSources({ port: 0 }, [
      { option: 'port', value: '1', origin: { kind: 'flag', flag: '--port' } },
      { option: 'port', value: '2', origin: FLAG },
    ]);
    assert.equal(merged.values.port, '2');
    assert.deepEqual(merged.origins.port, FLAG);
  });

  test('defaults are not modified', T, () => {
    const defaults = Object.freeze({ port: 11211 });
    mergeSources(defaults, [{ option: 'port', value: '1', origin: FLAG }]);
    assert.equal(defaults.port, 11211);
  });

  test('property: the winner is the last value of the strongest source given', T, () => {
    const origins: Origin[] = [FILE, ENV, FLAG];
    const entry = fc.record({ source: fc.integer({ min: 0, max: 2 }), value: fc.integer() });
    fc.assert(fc.property(fc.array(entry, { maxLength: 12 }), (entries) => {
      const given = entries.map((e) => ({ option: 'x', value: e.value, origin: origins[e.source]! }));
      const merged = mergeSources({ x: 'default' }, given);
      const strongest = Math.max(-1, ...entries.map((e) => e.source));
      const expected = strongest === -1 ? 'default' : entries.filter((e) => e.source === strongest).at(-1)!.value;
      assert.equal(merged.values.x, expected);
      assert.equal(merged.origins.x!.kind, strongest === -1 ? 'default' : origins[strongest]!.kind);
    }));
  });
});

describe('describeOrigin', () => {
  test('each kind of origin as messages write it', T, () => {
    assert.equal(describeOrigin({ kind: 'default' }), 'default');
    assert.equal(describeOrigin(FILE), 'file /etc/kvlab.toml:port');
    assert.equal(describeOrigin(ENV), 'env KVLAB_PORT');
    assert.equal(describeOrigin(FLAG), 'flag -p');
    assert.deepEqual(PRECEDENCE, ['default', 'file', 'env', 'flag']);
  });
});
