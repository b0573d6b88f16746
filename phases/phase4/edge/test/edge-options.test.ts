/**
 * The edge's options as phase 4 reads them: memcached's `-o idle_timeout` sets --idle-timeout,
 * every edge option is off by default (so a server without them has no guard), and a burst with
 * no rate is refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCode } from '../../../phase3/config/config-error.ts';
import { loadConfig } from '../../../phase3/config/load-config.ts';
import { expectConfigError } from '../../../phase3/config/test/expect-error.ts';
import { PHASE4_CONFIG } from '../../config/phase4-config.ts';
import { edgeLimitsOf, edgePart } from '../edge-part.ts';
import { createLogger } from '../../../../shared/runtime/logger.ts';

const T = { timeout: 10_000 };
const load = (argv: string[]) => loadConfig({ argv, env: {}, isRoot: false }, PHASE4_CONFIG).options;

test('-o idle_timeout=N is memcached\'s way to set --idle-timeout', T, () => {
  assert.equal(load(['-o', 'idle_timeout=300'])['idle-timeout'], 300);
  assert.equal(edgeLimitsOf(load(['-o', 'idle_timeout=300'])).idleTimeoutMs, 300_000);
});

test('with no edge option there is no guard; with any one there is', T, () => {
  const log = createLogger('test', 'silent');
  assert.equal(edgePart(load([]), log).guard, undefined);
  for (const argv of [['--rate-limit', '10'], ['--max-connections-per-address', '4'], ['-o', 'idle_timeout=1'], ['--partial-request-timeout', '5']]) {
    assert.notEqual(edgePart(load(argv), log).guard, undefined, argv.join(' '));
  }
});

test('a burst without a rate is refused', T, () => {
  expectConfigError(() => load(['--rate-burst', '50']), { code: ConfigErrorCode.Invalid, option: 'rate-burst', source: 'flag --rate-burst', message: /set only with --rate-limit/ });
  assert.equal(load(['--rate-burst', '50', '--rate-limit', '10'])['rate-burst'], 50);
});
