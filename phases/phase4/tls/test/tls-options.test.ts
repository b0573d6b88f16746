/**
 * TLS's options read memcached's spellings: -Z, the -o ssl_* keys (ssl_min_version by number or
 * name, a bare ssl_session_cache), and the rules between them — TLS needs a certificate chain, the
 * plaintext listener beside it needs TLS and a port of its own, a unix socket is not served TLS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCode } from '../../../phase3/config/config-error.ts';
import { loadConfig } from '../../../phase3/config/load-config.ts';
import { expectConfigError } from '../../../phase3/config/test/expect-error.ts';
import { PHASE4_CONFIG } from '../../config/phase4-config.ts';

const T = { timeout: 10_000 };
const load = (argv: string[]) => loadConfig({ argv, env: {}, isRoot: false }, PHASE4_CONFIG).options;

test("-Z and memcached's -o ssl_* keys set the TLS options", T, () => {
  const options = load(['-Z', '-o', 'ssl_chain_cert=/etc/c.pem,ssl_key=/etc/k.pem,ssl_ca_cert=/etc/ca.pem,ssl_verify_mode=2,ssl_min_version=3,ssl_session_cache']);
  assert.equal(options.tls, true);
  assert.equal(options['tls-chain-cert'], '/etc/c.pem');
  assert.equal(options['tls-key'], '/etc/k.pem');
  assert.equal(options['tls-ca-cert'], '/etc/ca.pem');
  assert.equal(options['tls-verify-mode'], 2);
  assert.equal(options['tls-min-version'], 'tlsv1.3');
  assert.equal(options['tls-session-cache'], true);
  assert.equal(load(['-Z', '-o', 'ssl_chain_cert=/c,ssl_min_version=tlsv1.1'])['tls-min-version'], 'tlsv1.1');
  // memcached's defaults: no TLS, verification off, TLS 1.2 at least, no session cache.
  const defaults = load([]);
  assert.deepEqual([defaults.tls, defaults['tls-verify-mode'], defaults['tls-min-version'], defaults['tls-session-cache']], [false, 0, 'tlsv1.2', false]);
});

test('out-of-range TLS values are refused by name', T, () => {
  expectConfigError(() => load(['-o', 'ssl_verify_mode=4']), {
    code: ConfigErrorCode.Invalid, option: 'tls-verify-mode', source: 'flag -o', message: /an integer from 0 to 3/,
  });
  expectConfigError(() => load(['-o', 'ssl_min_version=7']), {
    code: ConfigErrorCode.Invalid, option: 'tls-min-version', source: 'flag -o', message: /tlsv1\.0, tlsv1\.1, tlsv1\.2, tlsv1\.3/,
  });
  expectConfigError(() => load(['-o', 'ssl_min_version']), {
    code: ConfigErrorCode.Refused, option: '-o', source: 'flag -o', message: /needs a value, as in ssl_min_version=2/,
  });
});

test('TLS needs a certificate chain; the plaintext listener needs TLS and its own port; no TLS on a unix socket', T, () => {
  const invalid = ConfigErrorCode.Invalid;
  expectConfigError(() => load(['-Z']), { code: invalid, option: 'tls-chain-cert', source: 'default', message: /a certificate chain file when --tls/ });
  expectConfigError(() => load(['--plain-port', '11212']), { code: invalid, option: 'plain-port', source: 'flag --plain-port', message: /off unless --tls/ });
  expectConfigError(() => load(['-Z', '-o', 'ssl_chain_cert=/c', '-p', '11211', '--plain-port', '11211']), {
    code: invalid, option: 'plain-port', source: 'flag --plain-port', message: /a port other than --port/,
  });
  expectConfigError(() => load(['-Z', '-o', 'ssl_chain_cert=/c', '-s', '/tmp/kvlab.sock']), { code: invalid, option: 'tls', source: 'flag -Z', message: /unix-socket/ });
  assert.equal(load(['-Z', '-o', 'ssl_chain_cert=/c', '--plain-port', '0'])['plain-port'], 0);
});
