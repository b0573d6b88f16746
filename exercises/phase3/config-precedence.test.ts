/**
 * Checks for the configuration-precedence exercise: flag > env > file > default whatever the
 * order the sources arrive in, the last of one source wins, and every value keeps its origin.
 */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, forAll } from '../../shared/course/checks.ts';
import type { Given, Origin } from '../../phases/phase3/config/origin.ts';

const { describeOrigin, mergeSources } = await loadExercise<typeof import('./config-precedence.ts')>(import.meta.url);

const T = { timeout: 10_000 };
const FILE: Origin = { kind: 'file', path: '/etc/kvlab.toml', key: 'port' };
const ENV: Origin = { kind: 'env', variable: 'KVLAB_PORT' };
const FLAG: Origin = { kind: 'flag', flag: '-p' };
const DEFAULTS = { port: 11211, host: '127.0.0.1' };

describe('config-precedence', () => {
  test('describeOrigin writes each kind of origin as a message does', T, () => {
    expectSame(describeOrigin({ kind: 'default' }), 'default', "describeOrigin({ kind: 'default' })");
    expectSame(describeOrigin(FILE), 'file /etc/kvlab.toml:port', "describeOrigin({ kind: 'file', path: '/etc/kvlab.toml', key: 'port' })");
    expectSame(describeOrigin(ENV), 'env KVLAB_PORT', "describeOrigin({ kind: 'env', variable: 'KVLAB_PORT' })");
    expectSame(describeOrigin(FLAG), 'flag -p', "describeOrigin({ kind: 'flag', flag: '-p' })");
  });

  test('with no source, every option keeps its default and a default origin', T, () => {
    const merged = mergeSources(DEFAULTS, []);
    expectSame(merged.values, DEFAULTS, 'mergeSources(DEFAULTS, []).values');
    expectSame(merged.origins, { port: { kind: 'default' }, host: { kind: 'default' } }, 'mergeSources(DEFAULTS, []).origins');
  });

  test('a flag beats the environment, which beats the file, whatever order they arrive in', T, () => {
    const file: Given = { option: 'port', value: 1, origin: FILE };
    const env: Given = { option: 'port', value: '2', origin: ENV };
    const flag: Given = { option: 'port', value: '3', origin: FLAG };
    for (const [order, name] of [[[file, env, flag], 'file, env, flag'], [[flag, env, file], 'flag, env, file'], [[env, flag, file], 'env, flag, file']] as const) {
      const merged = mergeSources(DEFAULTS, order);
      expectSame(merged.values.port, '3', `port given by ${name}`);
      expectSame(merged.origins.port, FLAG, `the origin of port given by ${name}`);
      expectSame(merged.values.host, '127.0.0.1', `host, given by no source (${name})`);
    }
    const withoutFlag = mergeSources(DEFAULTS, [env, file]);
    expectSame(withoutFlag.values.port, '2', 'port given by env, then file');
    expectSame(withoutFlag.origins.port, ENV, 'the origin of port given by env, then file');
  });

  test('the same source twice: the later value wins (-p 1 -p 2 is port 2)', T, () => {
    const merged = mergeSources(DEFAULTS, [
      { option: 'port', value: '1', origin: { kind: 'flag', flag: '--port' } },
      { option: 'port', value: '2', origin: FLAG },
    ]);
    expectSame(merged.values.port, '2', "mergeSources(DEFAULTS, [--port 1, -p 2]).values.port");
    expectSame(merged.origins.port, FLAG, "mergeSources(DEFAULTS, [--port 1, -p 2]).origins.port");
  });

  test('the defaults object is left as it was', T, () => {
    const defaults = { port: 11211 };
    mergeSources(defaults, [{ option: 'port', value: '3', origin: FLAG }]);
    expectSame(defaults, { port: 11211 }, 'defaults after mergeSources({ port: 11211 }, [-p 3])');
  });

  test('for any sources in any order: the last value of the strongest source wins', T, () => {
    const origins = [FILE, ENV, FLAG];
    const entry = fc.record({ source: fc.integer({ min: 0, max: 2 }), value: fc.integer() });
    forAll(fc.property(fc.array(entry, { maxLength: 10 }), (entries) => {
      const given = entries.map((e) => ({ option: 'port', value: e.value, origin: origins[e.source]! }));
      const strongest = Math.max(-1, ...entries.map((e) => e.source));
      const expected = strongest === -1 ? 11211 : entries.filter((e) => e.source === strongest).at(-1)!.value;
      const merged = mergeSources(DEFAULTS, given);
      expectSame(merged.values.port, expected, `port given by ${JSON.stringify(entries.map((e) => `${origins[e.source]!.kind}=${e.value}`))}`);
    }), { numRuns: 200 });
  });
});
