/** SIGHUP's reload: live options change, the others are reported as needing a restart and keep their value. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../config-error.ts';
import { loadConfig } from '../load-config.ts';
import { formatReload, reloadConfig } from '../reload.ts';

const T = { timeout: 10_000 };
const PATH = '/etc/kvlab.toml';

describe('reloadConfig', () => {
  let file = 'log-level = "info"\nslow-ms = 10\nport = 11300\n';
  const readFile = () => file;
  const start = () => loadConfig({ argv: ['--config', PATH], env: {}, readFile, isRoot: false });

  test('nothing changed: nothing to report', T, () => {
    file = 'log-level = "info"\nslow-ms = 10\nport = 11300\n';
    const reloaded = reloadConfig(start(), { env: {}, readFile });
    assert.deepEqual(reloaded.changed, []);
    assert.deepEqual(reloaded.needsRestart, []);
    assert.equal(formatReload(reloaded), 'configuration reloaded; nothing changed live');
  });

  test('log-level and slow-ms change live, with their new origin', T, () => {
    file = 'log-level = "info"\nport = 11300\n';
    const previous = start();
    file = 'log-level = "debug"\nslow-ms = 250\nport = 11300\n';
    const reloaded = reloadConfig(previous, { env: {}, readFile });
    assert.equal(reloaded.options['log-level'], 'debug');
    assert.equal(reloaded.options['slow-ms'], 250);
    assert.deepEqual(reloaded.origins['slow-ms'], { kind: 'file', path: PATH, key: 'slow-ms' });
    assert.deepEqual(reloaded.changed.map((c) => [c.option, c.from, c.to]), [['log-level', 'info', 'debug'], ['slow-ms', 10, 250]]);
    assert.deepEqual(reloaded.needsRestart, []);
  });

  test('other options are reported as needing a restart, and keep their running value', T, () => {
    file = 'port = 11300\n';
    const previous = start();
    file = 'port = 11400\nmemory-mb = 128\nslow-ms = 5\n';
    const reloaded = reloadConfig(previous, { env: {}, readFile });
    assert.equal(reloaded.options.port, 11300);
    assert.equal(reloaded.options['memory-mb'], 64);
    assert.deepEqual(reloaded.origins.port, { kind: 'file', path: PATH, key: 'port' });
    assert.deepEqual(reloaded.needsRestart.map((c) => [c.option, c.from, c.to]), [['port', 11300, 11400], ['memory-mb', 64, 128]]);
    assert.equal(formatReload(reloaded),
      `configuration reloaded; changed: slow-ms 10 → 5 (file ${PATH}:slow-ms); needs a restart: port 11300 → 11400 (file ${PATH}:port), memory-mb 64 → 128 (file ${PATH}:memory-mb)`);
  });

  test('the command line still outranks the file; the environment is read again', T, () => {
    file = '';
    const previous = loadConfig({ argv: ['--config', PATH, '--log-level', 'warn'], env: {}, readFile, isRoot: false });
    file = 'log-level = "debug"\n';
    assert.deepEqual(reloadConfig(previous, { env: {}, readFile }).changed, []);
    const withEnv = reloadConfig(start(), { env: { KVLAB_SLOW_MS: '99' }, readFile });
    assert.deepEqual(withEnv.changed.map((c) => [c.option, c.to, c.origin]), [['slow-ms', 99, { kind: 'env', variable: 'KVLAB_SLOW_MS' }]]);
  });

  test('a reload result can be reloaded again', T, () => {
    file = 'slow-ms = 1\n';
    const first = reloadConfig(start(), { env: {}, readFile });
    file = 'slow-ms = 2\n';
    const second = reloadConfig(first, { env: {}, readFile });
    assert.deepEqual(second.changed.map((c) => [c.from, c.to]), [[1, 2]]);
  });

  test('a file made invalid throws ConfigError; the caller keeps the previous configuration', T, () => {
    file = 'slow-ms = 1\n';
    const previous = start();
    file = 'slow-ms = -1\n';
    assert.throws(() => reloadConfig(previous, { env: {}, readFile }), (error: unknown) =>
      error instanceof ConfigError && error.option === 'slow-ms' && error.source === `file ${PATH}:slow-ms`);
    file = 'slow-ms = \n';
    assert.throws(() => reloadConfig(previous, { env: {}, readFile }), ConfigError);
    assert.equal(previous.options['slow-ms'], 1);
  });
});
