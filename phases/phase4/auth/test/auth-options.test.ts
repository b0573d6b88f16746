/**
 * Authentication's options in phase 4's configuration: memcached's -Y and -S set them, the users
 * file of each protocol follows from them, and the rules between them stop a start that could
 * never let anyone in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../phase3/config/config-error.ts';
import { loadConfig } from '../../../phase3/config/load-config.ts';
import { PHASE4_CONFIG } from '../../config/phase4-config.ts';
import { authFiles } from '../auth-part.ts';

const load = (...argv: string[]) => loadConfig({ argv, env: {}, isRoot: false }, PHASE4_CONFIG).options;

/** The option a refused configuration names, and its message. */
function refusal(...argv: string[]): { option: string; message: string } {
  try {
    load(...argv);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return { option: error.option, message: error.message };
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

test('-Y and -S set memcached\'s meanings; each protocol gets its users file', () => {
  assert.deepEqual(authFiles(load('-Y', '/etc/kvlab/users')), { ascii: '/etc/kvlab/users', sasl: null });
  assert.deepEqual(authFiles(load('-Y', '/etc/kvlab/users', '-S')), { ascii: '/etc/kvlab/users', sasl: '/etc/kvlab/users' });
  assert.deepEqual(authFiles(load('-S', '--sasl-file', '/etc/kvlab/sasl')), { ascii: null, sasl: '/etc/kvlab/sasl' });
  assert.deepEqual(authFiles(load('-Y', '/a', '-S', '--sasl-file', '/b')), { ascii: '/a', sasl: '/b' });
  assert.deepEqual(authFiles(load()), { ascii: null, sasl: null });
  const defaults = load();
  assert.equal(defaults['auth-timeout'], 30);
  assert.equal(defaults['auth-delay-ms'], 100);
  assert.equal(defaults['auth-delay-max-ms'], 5000);
});

test('a start that could let no one in, or a file that nothing reads, is refused', () => {
  const noUsers = refusal('-S');
  assert.equal(noUsers.option, 'sasl');
  assert.match(noUsers.message, /--sasl-file, or --auth-file/);
  assert.equal(refusal('--sasl-file', '/etc/kvlab/sasl').option, 'sasl-file');
  assert.equal(refusal('--auth-delay-ms', '500', '--auth-delay-max-ms', '100').option, 'auth-delay-max-ms');
});
