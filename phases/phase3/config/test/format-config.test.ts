/** --print-config's text: every value with its origin, as a TOML file that loads back to the same values. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { formatConfig } from '../format-config.ts';
import { loadConfig } from '../load-config.ts';
import { PHASE3_OPTIONS } from '../phase3-options.ts';
import { formatSize } from '../option-kinds.ts';
import { parseSize } from '../../../../shared/runtime/cli.ts';

const T = { timeout: 20_000 };
const PATH = '/etc/kvlab.toml';

/** Loads with `file` at PATH. */
function load(argv: string[], env: Record<string, string>, file: string) {
  return loadConfig({ argv: ['--config', PATH, ...argv], env, isRoot: false, readFile: () => file });
}

describe('formatConfig', () => {
  test('one line per option: its value, then its origin', T, () => {
    const text = formatConfig(load(['-p', '11400', '-vv', '--print-config'], { KVLAB_MEMORY_MB: '128' }, 'max-item-size = "2m"\n'));
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 1 + Object.keys(PHASE3_OPTIONS).length);
    assert.match(text, /^port = 11400 +# flag -p$/m);
    assert.match(text, /^memory-mb = 128 +# env KVLAB_MEMORY_MB$/m);
    assert.match(text, /^max-item-size = "2m" +# file \/etc\/kvlab\.toml:max-item-size$/m);
    assert.match(text, /^log-level = "debug" +# flag -vv$/m);
    assert.match(text, /^host = "127\.0\.0\.1" +# default$/m);
    assert.match(text, /^metrics-port = "off" +# default$/m);
    assert.match(text, /^# config = "\/etc\/kvlab\.toml" +# flag --config \(not a file key\)$/m);
    assert.match(text, /^# print-config = true +# flag --print-config \(not a file key\)$/m);
  });

  test('property: the text is a config file that loads back to the same values', T, () => {
    const argv = fc.record({
      port: fc.integer({ min: 0, max: 65535 }),
      'memory-mb': fc.integer({ min: 1, max: 2048 }),
      'max-item-size': fc.integer({ min: 1024, max: 128 * 1024 * 1024 }),
      'log-level': fc.constantFrom('fatal', 'error', 'warn', 'info', 'debug', 'silent'),
      'metrics-port': fc.oneof(fc.constant('off'), fc.integer({ min: 0, max: 65535 }).map(String)),
      'enable-shutdown': fc.boolean(),
      'unix-socket': fc.constantFrom('', '/run/kvlab.sock', '/tmp/a "quoted" path'),
    }).filter((v) => v['metrics-port'] !== String(v.port));
    fc.assert(fc.property(argv, (values) => {
      const flags = Object.entries(values).flatMap(([name, value]) => [`--${name}=${String(value)}`]);
      const first = load(flags, {}, '');
      const printed = formatConfig(first);
      assert.doesNotThrow(() => parse(printed));
      const again = load([], {}, printed);
      assert.deepEqual(again.options, first.options);
    }), { numRuns: 60 });
  });
});

describe('formatSize', () => {
  test('the largest unit that divides exactly, bytes otherwise', T, () => {
    assert.equal(formatSize(1024 * 1024), '1m');
    assert.equal(formatSize(3 * 1024 ** 3), '3g');
    assert.equal(formatSize(1536), 1536);
    assert.equal(formatSize(1536 * 1024), '1536k');
  });

  test('property: parseSize reads back what formatSize writes', T, () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (bytes) => {
      assert.equal(parseSize(String(formatSize(bytes))), bytes);
    }));
  });
});
