/**
 * memcached's `-o key=value,…`: every key sets its option with the flag as its origin, a bare key
 * and an unknown key are refused by name, and phase 4's table is the one `-o` reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCode } from '../../../phase3/config/config-error.ts';
import { PHASE3_CONFIG, type ConfigSpec } from '../../../phase3/config/config-spec.ts';
import { loadConfig } from '../../../phase3/config/load-config.ts';
import { integer, optionalPath } from '../../../phase3/config/option-kinds.ts';
import { PHASE3_OPTIONS } from '../../../phase3/config/phase3-options.ts';
import { expectConfigError } from '../../../phase3/config/test/expect-error.ts';
import { alreadySo, extendedOptionsFlag, setsOption } from '../extended-options.ts';
import { PHASE4_CONFIG } from '../phase4-config.ts';

const T = { timeout: 10_000 };

const OPTIONS = {
  ...PHASE3_OPTIONS,
  'idle-timeout': integer(0, 86_400, { default: 0, description: 'seconds before an idle connection is closed' }),
  'tls-cert': optionalPath({ default: null, description: 'certificate chain' }),
};
const SPEC: ConfigSpec<typeof OPTIONS> = {
  options: OPTIONS,
  shortFlags: {
    ...PHASE3_CONFIG.shortFlags,
    o: extendedOptionsFlag({ idle_timeout: setsOption('idle-timeout'), ssl_chain_cert: setsOption('tls-cert'), modern: alreadySo }),
  },
  checks: [],
};

test('-o sets several options at once, each validated like any flag', T, () => {
  const { options, origins } = loadConfig({ argv: ['-o', 'idle_timeout=30,modern,ssl_chain_cert=/etc/c.pem'], env: {}, isRoot: false }, SPEC);
  assert.equal(options['idle-timeout'], 30);
  assert.equal(options['tls-cert'], '/etc/c.pem');
  assert.deepEqual(origins['idle-timeout'], { kind: 'flag', flag: '-o' });
  expectConfigError(() => loadConfig({ argv: ['-o', 'idle_timeout=soon'], env: {}, isRoot: false }, SPEC), {
    code: ConfigErrorCode.Invalid, option: 'idle-timeout', source: 'flag -o', message: /soon/,
  });
});

test('-o refuses a key it does not know and a key that lacks its value', T, () => {
  expectConfigError(() => loadConfig({ argv: ['-o', 'modern,hash_algorithm=murmur3'], env: {}, isRoot: false }, SPEC), {
    code: ConfigErrorCode.Refused, option: '-o', source: 'flag -o', message: /-o hash_algorithm has no counterpart here \(known: idle_timeout, modern, ssl_chain_cert\)/,
  });
  expectConfigError(() => loadConfig({ argv: ['-oidle_timeout'], env: {}, isRoot: false }, SPEC), {
    code: ConfigErrorCode.Refused, option: '-o', source: 'flag -o', message: /-o idle_timeout: needs a value, as in idle_timeout=VALUE/,
  });
});

test("phase 4's -o is built from its parts' tables", T, () => {
  expectConfigError(() => loadConfig({ argv: ['-o', 'no_such_key'], env: {}, isRoot: false }, PHASE4_CONFIG), {
    code: ConfigErrorCode.Refused, option: '-o', source: 'flag -o', message: /-o no_such_key has no counterpart here/,
  });
  assert.equal(loadConfig({ argv: ['-p', '1234'], env: {}, isRoot: false }, PHASE4_CONFIG).options.port, 1234);
});
