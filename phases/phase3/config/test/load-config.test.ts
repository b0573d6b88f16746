/**
 * loadConfig: the defaults are phase 2's, each source is read, flag > env > file > default, and
 * every problem is one ConfigError naming the option, its source, the value and what is allowed.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseOptions, type ParsedOptions } from '../../../../shared/runtime/cli.ts';
import { PHASE2_OPTIONS } from '../../../phase2/options.ts';
import type { Phase2Options } from '../../../phase2/server.ts';
import { ConfigErrorCode } from '../config-error.ts';
import { loadConfig, type ConfigInput } from '../load-config.ts';
import { PHASE3_OPTIONS } from '../phase3-options.ts';
import { expectConfigError } from './expect-error.ts';

const T = { timeout: 10_000 };
const PATH = '/etc/kvlab.toml';

/** loadConfig with a fake file system holding `file` at PATH, and as a non-root process. */
function load(argv: string[], env: Record<string, string> = {}, file?: string, extra: Partial<ConfigInput> = {}) {
  return loadConfig({
    argv, env, isRoot: false,
    readFile: (path) => {
      if (path !== PATH || file === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return file;
    },
    ...extra,
  });
}

describe('defaults', () => {
  test("phase 2's defaults, and phase 3's own", T, () => {
    const { options, origins } = load([]);
    const phase2: ParsedOptions<typeof PHASE2_OPTIONS> = parseOptions(PHASE2_OPTIONS, []);
    for (const [name, value] of Object.entries(phase2)) assert.equal(options[name as keyof typeof options], value, name);
    assert.equal(options['metrics-host'], '127.0.0.1');
    assert.equal(options['metrics-port'], null);
    assert.equal(options['slow-ms'], 10);
    assert.equal(options['shutdown-timeout'], 10);
    assert.equal(options['enable-shutdown'], false);
    assert.equal(options['unix-socket'], null);
    assert.equal(options.config, null);
    assert.ok(Object.values(origins).every((origin) => origin.kind === 'default'));
    assert.deepEqual(Object.keys(origins), Object.keys(PHASE3_OPTIONS));
  });

  test("the options are what phase 2's server takes", T, () => {
    const phase2: Phase2Options = load(['--workers', '2']).options;
    assert.equal(phase2.workers, 2);
  });

  test("property: phase 2's ranges are kept: a value phase 2 accepts, phase 3 accepts the same", T, () => {
    const numeric = ['port', 'memory-mb', 'max-connections', 'workers', 'requests-per-turn'] as const;
    fc.assert(fc.property(fc.constantFrom(...numeric), fc.integer({ min: -10, max: 2_000_000 }), (name, value) => {
      let phase2: number | undefined;
      try {
        phase2 = parseOptions(PHASE2_OPTIONS, [`--${name}`, String(value)])[name];
      } catch { /* out of phase 2's range */ }
      let phase3: number | undefined;
      try {
        phase3 = load([`--${name}`, String(value)]).options[name];
      } catch { /* out of phase 3's range */ }
      assert.equal(phase3, phase2);
    }));
  });
});

describe('sources and precedence', () => {
  const file = 'port = 1111\nmemory-mb = 32\nlog-level = "warn"\nmax-item-size = "2m"\n';

  test('flag > env > file > default, each value with its origin', T, () => {
    const { options, origins } = load(['--config', PATH, '-p', '3333'], { KVLAB_PORT: '2222', KVLAB_MEMORY_MB: '48' }, file);
    assert.equal(options.port, 3333);
    assert.deepEqual(origins.port, { kind: 'flag', flag: '-p' });
    assert.equal(options['memory-mb'], 48);
    assert.deepEqual(origins['memory-mb'], { kind: 'env', variable: 'KVLAB_MEMORY_MB' });
    assert.equal(options['log-level'], 'warn');
    assert.deepEqual(origins['log-level'], { kind: 'file', path: PATH, key: 'log-level' });
    assert.equal(options['max-item-size'], 2 * 1024 * 1024);
    assert.deepEqual(origins['max-connections'], { kind: 'default' });
    assert.deepEqual(origins.config, { kind: 'flag', flag: '--config' });
  });

  test('the file can be named by KVLAB_CONFIG; a flag --config outranks it', T, () => {
    assert.equal(load([], { KVLAB_CONFIG: PATH }, file).options.port, 1111);
    assert.throws(() => load(['--config', '/other.toml'], { KVLAB_CONFIG: PATH }, file), /other\.toml cannot be read: ENOENT/);
    assert.equal(load(['--config', ''], { KVLAB_CONFIG: PATH }, file).options.port, 11211);
  });

  test('a real file in a temporary folder, read with the default readFile', T, () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvlab-config-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'kvlab.toml');
    writeFileSync(path, '# a comment\nport = 4444\nenable-shutdown = true\nmetrics-port = 9150\n');
    const { options, origins } = loadConfig({ argv: ['--config', path], env: {}, isRoot: false });
    assert.equal(options.port, 4444);
    assert.equal(options['enable-shutdown'], true);
    assert.equal(options['metrics-port'], 9150);
    assert.deepEqual(origins['enable-shutdown'], { kind: 'file', path, key: 'enable-shutdown' });
  });

  test('long flags: --name value, --name=value, bare booleans, =false', T, () => {
    const { options } = load(['--port=5', '--host', '::1', '--enable-shutdown', '--metrics-port', '0', '--unix-socket=/run/kv.sock']);
    assert.equal(options.port, 5);
    assert.equal(options.host, '::1');
    assert.equal(options['enable-shutdown'], true);
    assert.equal(options['metrics-port'], 0);
    assert.equal(options['unix-socket'], '/run/kv.sock');
    assert.equal(load(['--enable-shutdown=false']).options['enable-shutdown'], false);
    assert.equal(load(['--metrics-port', 'off']).options['metrics-port'], null);
  });

  test('environment values are text: sizes, booleans, off', T, () => {
    const { options } = load([], {
      KVLAB_WRITE_HIGH_WATER: '64k', KVLAB_ENABLE_SHUTDOWN: '1', KVLAB_METRICS_PORT: 'off', KVLAB_LOG_LEVEL: 'debug', KVLAB_SLOW_MS: '0',
    });
    assert.equal(options['write-high-water'], 64 * 1024);
    assert.equal(options['enable-shutdown'], true);
    assert.equal(options['metrics-port'], null);
    assert.equal(options['log-level'], 'debug');
    assert.equal(options['slow-ms'], 0);
  });

  test("the project's tools' variables are not options and are let through", T, () => {
    const env = { KVLAB_COURSE_SOURCE: 'solutions', KVLAB_CONFORMANCE_SEED: '1', KVLAB_FUZZ_SEED: '2', KVLAB_TEST_CONCURRENCY: '2', KVLAB_PROGRESS_FILE: '/x' };
    assert.equal(load([], env).options.port, 11211);
    assert.equal(load([], { PATH: '/bin', kvlab_port: '1' }).options.port, 11211);
  });

  test('a bad value overridden by a stronger source does not matter', T, () => {
    assert.equal(load(['-p', '7'], { KVLAB_PORT: 'nope' }, 'port = "also nope"').options.port, 7);
  });
});

describe('errors: one line naming option, source, value and what is allowed', () => {
  test('a flag out of range', T, () => {
    expectConfigError(() => load(['--port', '70000']), {
      code: ConfigErrorCode.Invalid, option: 'port', source: 'flag --port',
      message: /^invalid port from flag --port: "70000" \(allowed: an integer from 0 to 65535\)$/,
    });
  });

  test('an environment variable out of range', T, () => {
    expectConfigError(() => load([], { KVLAB_MEMORY_MB: '4096' }), {
      code: ConfigErrorCode.Invalid, option: 'memory-mb', source: 'env KVLAB_MEMORY_MB',
      message: /"4096" \(allowed: an integer from 1 to 2048\)/,
    });
  });

  test('a file value of the wrong type or out of range', T, () => {
    expectConfigError(() => load(['--config', PATH], {}, 'max-connections = 0'), {
      code: ConfigErrorCode.Invalid, option: 'max-connections', source: `file ${PATH}:max-connections`,
      message: /invalid max-connections from file \/etc\/kvlab\.toml:max-connections: 0 \(allowed: an integer from 1 to 1000000\)/,
    });
    expectConfigError(() => load(['--config', PATH], {}, 'workers = 1.5'), {
      code: ConfigErrorCode.Invalid, option: 'workers', source: `file ${PATH}:workers`, message: /: 1\.5 \(allowed/,
    });
    expectConfigError(() => load(['--config', PATH], {}, 'enable-shutdown = "yes"'), {
      code: ConfigErrorCode.Invalid, option: 'enable-shutdown', source: `file ${PATH}:enable-shutdown`, message: /"yes" \(allowed: true or false/,
    });
    expectConfigError(() => load(['--config', PATH], {}, 'host = ["a", "b"]'), {
      code: ConfigErrorCode.Invalid, option: 'host', source: `file ${PATH}:host`, message: /\["a","b"\] \(allowed: one IPv4/,
    });
  });

  test('sizes: malformed and out of range', T, () => {
    expectConfigError(() => load(['--max-item-size', '1x']), {
      code: ConfigErrorCode.Invalid, option: 'max-item-size', source: 'flag --max-item-size', message: /"1x" \(allowed: a size from 1k to 128m/,
    });
    expectConfigError(() => load([], { KVLAB_MAX_ITEM_SIZE: '512' }), {
      code: ConfigErrorCode.Invalid, option: 'max-item-size', source: 'env KVLAB_MAX_ITEM_SIZE', message: /"512"/,
    });
    expectConfigError(() => load(['-I', '129m']), {
      code: ConfigErrorCode.Invalid, option: 'max-item-size', source: 'flag -I', message: /"129m"/,
    });
  });

  test('a log level, a host, a metrics port that are not allowed', T, () => {
    expectConfigError(() => load(['--log-level', 'loud']), {
      code: ConfigErrorCode.Invalid, option: 'log-level', source: 'flag --log-level', message: /allowed: fatal, error, warn, info, debug, silent/,
    });
    expectConfigError(() => load(['--host', 'two words']), {
      code: ConfigErrorCode.Invalid, option: 'host', source: 'flag --host', message: /"two words"/,
    });
    expectConfigError(() => load(['--metrics-port', 'on']), {
      code: ConfigErrorCode.Invalid, option: 'metrics-port', source: 'flag --metrics-port', message: /allowed: off, or a port/,
    });
  });

  test('the metrics port cannot be the memcached port', T, () => {
    expectConfigError(() => load(['-p', '11300', '--metrics-port', '11300']), {
      code: ConfigErrorCode.Invalid, option: 'metrics-port', source: 'flag --metrics-port',
      message: /allowed: a port other than the memcached port \(11300\)/,
    });
    assert.equal(load(['--port', '0', '--metrics-port', '0']).options['metrics-port'], 0);
    assert.equal(load(['--unix-socket', '/tmp/k.sock', '--metrics-port', '11211']).options['metrics-port'], 11211);
  });

  test('unknown flags, with a suggestion when one is near', T, () => {
    expectConfigError(() => load(['--prot', '1']), {
      code: ConfigErrorCode.Unknown, option: 'prot', source: 'flag --prot', message: /^unknown option --prot; did you mean --port\?$/,
    });
    expectConfigError(() => load(['--memory=64']), {
      code: ConfigErrorCode.Unknown, option: 'memory', source: 'flag --memory', message: /did you mean --memory-mb\?/,
    });
    expectConfigError(() => load(['--threads', '4']), {
      code: ConfigErrorCode.Unknown, option: 'threads', source: 'flag --threads', message: /^unknown option --threads$/,
    });
    expectConfigError(() => load(['-x']), { code: ConfigErrorCode.Unknown, option: '-x', source: 'flag -x', message: /unknown flag -x/ });
  });

  test('unknown file keys and KVLAB_ variables, with suggestions', T, () => {
    expectConfigError(() => load(['--config', PATH], {}, 'memroy-mb = 3'), {
      code: ConfigErrorCode.Unknown, option: 'memroy-mb', source: `file ${PATH}:memroy-mb`,
      message: /^unknown key memroy-mb in config file \/etc\/kvlab\.toml; did you mean memory-mb\?$/,
    });
    expectConfigError(() => load(['--config', PATH], {}, '[metrics]\nport = 1'), {
      code: ConfigErrorCode.Unknown, option: 'metrics', source: `file ${PATH}:metrics`, message: /unknown key metrics/,
    });
    expectConfigError(() => load([], { KVLAB_PROT: '1' }), {
      code: ConfigErrorCode.Unknown, option: 'KVLAB_PROT', source: 'env KVLAB_PROT', message: /^unknown variable KVLAB_PROT; did you mean KVLAB_PORT\?$/,
    });
  });

  test('options a source may not set', T, () => {
    expectConfigError(() => load(['--config', PATH], {}, 'config = "/other.toml"'), {
      code: ConfigErrorCode.Refused, option: 'config', source: `file ${PATH}:config`, message: /it can only be given as --config/,
    });
    expectConfigError(() => load(['--config', PATH], {}, 'print-config = true'), {
      code: ConfigErrorCode.Refused, option: 'print-config', source: `file ${PATH}:print-config`, message: /--print-config/,
    });
    expectConfigError(() => load([], { KVLAB_PRINT_CONFIG: '1' }), {
      code: ConfigErrorCode.Refused, option: 'print-config', source: 'env KVLAB_PRINT_CONFIG', message: /can only be given as --print-config/,
    });
  });

  test('a file that cannot be read or parsed', T, () => {
    expectConfigError(() => load(['--config', '/missing.toml']), {
      code: ConfigErrorCode.File, option: 'config', source: 'file /missing.toml', message: /^config file \/missing\.toml cannot be read: ENOENT$/,
    });
    expectConfigError(() => load(['--config', PATH], {}, 'port = 1\nhost = \n'), {
      code: ConfigErrorCode.File, option: 'config', source: `file ${PATH}`, message: /^config file \/etc\/kvlab\.toml: line 2, column \d+: /,
    });
    expectConfigError(() => load(['--config', PATH], {}, 'port = 1\nport = 2\n'), {
      code: ConfigErrorCode.File, option: 'config', source: `file ${PATH}`, message: /line 2/,
    });
  });

  test('flags written wrongly', T, () => {
    expectConfigError(() => load(['--port']), {
      code: ConfigErrorCode.Syntax, option: '--port', source: 'flag --port', message: /^--port needs a value: an integer from 0 to 65535$/,
    });
    expectConfigError(() => load(['-p']), { code: ConfigErrorCode.Syntax, option: '-p', source: 'flag -p', message: /-p needs a value/ });
    expectConfigError(() => load(['11211']), {
      code: ConfigErrorCode.Syntax, option: '11211', source: 'flag 11211', message: /^unexpected argument "11211"/,
    });
    expectConfigError(() => load(['--', 'x']), { code: ConfigErrorCode.Syntax, option: 'x', source: 'flag x', message: /unexpected argument "x"/ });
  });
});
