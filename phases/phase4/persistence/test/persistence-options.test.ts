/**
 * Persistence's options in phase 4's configuration: off by default, the policy words, and the
 * refusal of --persist with ring workers, named by option before anything starts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCode } from '../../../phase3/config/config-error.ts';
import { loadConfig } from '../../../phase3/config/load-config.ts';
import { expectConfigError } from '../../../phase3/config/test/expect-error.ts';
import { PHASE4_CONFIG } from '../../config/phase4-config.ts';

const T = { timeout: 10_000 };
const load = (argv: string[]) => loadConfig({ argv, env: {}, isRoot: false }, PHASE4_CONFIG);

test('persistence is off by default, everysec when on, and takes redis\'s policy words', T, () => {
  const defaults = load([]).options;
  assert.equal(defaults.persist, null);
  assert.equal(defaults.fsync, 'everysec');
  assert.equal(load(['--persist', '/var/lib/kvlab', '--fsync', 'always']).options.fsync, 'always');
  expectConfigError(() => load(['--persist', '/d', '--fsync', 'sometimes']), {
    code: ConfigErrorCode.Invalid, option: 'fsync', source: 'flag --fsync', message: /always, everysec, no/,
  });
});

test('--persist with --workers N is refused with the reason', T, () => {
  expectConfigError(() => load(['--persist', '/var/lib/kvlab', '--workers', '2']), {
    code: ConfigErrorCode.Invalid, option: 'persist', source: 'flag --persist', message: /--workers 0/,
  });
  assert.equal(load(['--persist', '/var/lib/kvlab', '--workers', '0']).options.workers, 0);
});
