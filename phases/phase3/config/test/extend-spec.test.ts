/**
 * A later phase extends phase 3's configuration without copying it: its own table spreads phase
 * 3's, adds options, a flag and a check, and every part — loading, errors, --print-config, --help,
 * reload — works on it unchanged.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCode } from '../config-error.ts';
import { PHASE3_CONFIG, type ConfigSpec } from '../config-spec.ts';
import { formatConfig } from '../format-config.ts';
import { loadConfig } from '../load-config.ts';
import { MEMCACHED_FLAGS } from '../memcached-flags.ts';
import { boolean, integer } from '../option-kinds.ts';
import { PHASE3_OPTIONS } from '../phase3-options.ts';
import { reloadConfig } from '../reload.ts';
import { usage } from '../usage.ts';
import { expectConfigError } from './expect-error.ts';

const T = { timeout: 10_000 };

const LATER_OPTIONS = {
  ...PHASE3_OPTIONS,
  threads: integer(1, 64, { default: 1, description: 'event loops sharing one store' }),
  'idle-timeout': integer(0, 86_400, { default: 0, live: true, description: 'seconds before an idle connection is closed' }),
  'enable-tls': boolean({ default: false, description: 'terminate TLS on the memcached port' }),
};

const LATER: ConfigSpec<typeof LATER_OPTIONS> = {
  options: LATER_OPTIONS,
  shortFlags: { ...MEMCACHED_FLAGS, t: { takes: 'value', about: '--threads', apply: (value) => ({ set: 'threads', value }) } },
  checks: [
    ...PHASE3_CONFIG.checks,
    { option: 'threads', problem: (values) => values.threads > 1 && values.workers > 0 ? 'threads 1 when workers are on' : undefined },
  ],
};

describe('a configuration that extends phase 3', () => {
  test('new options from every source, a remapped flag, the old checks and a new one', T, () => {
    const readFile = () => 'idle-timeout = 30\n';
    const { options, origins } = loadConfig({ argv: ['--config', '/x.toml', '-t', '4'], env: { KVLAB_ENABLE_TLS: 'true' }, readFile, isRoot: false }, LATER);
    assert.equal(options.threads, 4);
    assert.deepEqual(origins.threads, { kind: 'flag', flag: '-t' });
    assert.equal(options['idle-timeout'], 30);
    assert.equal(options['enable-tls'], true);
    assert.equal(options.port, 11211);
    expectConfigError(() => loadConfig({ argv: ['-t', '2', '--workers', '2'], env: {}, isRoot: false }, LATER), {
      code: ConfigErrorCode.Invalid, option: 'threads', source: 'flag -t', message: /allowed: threads 1 when workers are on/,
    });
    expectConfigError(() => loadConfig({ argv: ['--metrics-port', '11211'], env: {}, isRoot: false }, LATER), {
      code: ConfigErrorCode.Invalid, option: 'metrics-port', source: 'flag --metrics-port', message: /other than the memcached port/,
    });
    expectConfigError(() => loadConfig({ argv: ['--thread', '2'], env: {}, isRoot: false }, LATER), {
      code: ConfigErrorCode.Unknown, option: 'thread', source: 'flag --thread', message: /did you mean --threads\?/,
    });
  });

  test('--print-config, --help and reload know the new options', T, () => {
    let file = 'idle-timeout = 30\n';
    const readFile = () => file;
    const config = loadConfig({ argv: ['--config', '/x.toml'], env: {}, readFile, isRoot: false }, LATER);
    assert.match(formatConfig(config), /^idle-timeout = 30 +# file \/x\.toml:idle-timeout$/m);
    assert.match(usage('later', LATER), /--threads <n> +event loops sharing one store/);
    file = 'idle-timeout = 60\nthreads = 2\n';
    const reloaded = reloadConfig(config, { env: {}, readFile });
    assert.deepEqual(reloaded.changed.map((c) => c.option), ['idle-timeout']);
    assert.deepEqual(reloaded.needsRestart.map((c) => c.option), ['threads']);
  });
});
