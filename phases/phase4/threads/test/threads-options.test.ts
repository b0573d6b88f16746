/**
 * `--threads` in phase 4's configuration: memcached's `-t N` sets it (phase 3 keeps `-t` for
 * `--workers`); TLS, authentication and a unix socket are carried by every loop, and every part
 * a loop thread does not carry is refused with it by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCode } from '../../../phase3/config/config-error.ts';
import { loadConfig } from '../../../phase3/config/load-config.ts';
import { expectConfigError } from '../../../phase3/config/test/expect-error.ts';
import { PHASE4_CONFIG } from '../../config/phase4-config.ts';

const T = { timeout: 10_000 };

function load(argv: string[]) {
  return loadConfig({ argv, env: {}, isRoot: false }, PHASE4_CONFIG);
}

test('-t N sets --threads N and leaves --workers at 0; -t 0 is refused as memcached refuses it', T, () => {
  const { options, origins } = load(['-t', '4']);
  assert.equal(options.threads, 4);
  assert.equal(options.workers, 0);
  assert.deepEqual(origins.threads, { kind: 'flag', flag: '-t' });
  assert.equal(load([]).options.threads, 1);
  expectConfigError(() => load(['-t', '0']), { code: ConfigErrorCode.Refused, option: '-t', source: 'flag -t', message: /at least 1 thread/ });
  expectConfigError(() => load(['--threads', '65']), { code: ConfigErrorCode.Invalid, option: 'threads', source: 'flag --threads', message: /from 1 to 64/ });
});

test('each part a loop thread does not carry is refused with --threads 2, naming it; with --threads 1 all are allowed', T, () => {
  const clashes: [string[], RegExp][] = [
    [['--workers', '2'], /--workers N/],
    [['--persist', '/tmp/kvlab-never-made'], /--persist/],
    [['--tls', '--tls-chain-cert', '/tmp/cert.pem', '--plain-port', '0'], /--plain-port/],
    [['--rate-limit', '100'], /per-client limits \(--rate-limit/],
    [['--max-connections-per-address', '4'], /--max-connections-per-address/],
  ];
  for (const [argv, named] of clashes) {
    expectConfigError(() => load(['--threads', '2', ...argv]), { code: ConfigErrorCode.Invalid, option: 'threads', source: 'flag --threads', message: named });
    assert.equal(load(['--threads', '1', ...argv]).options.threads, 1, argv.join(' '));
  }
});

test('TLS (-Z), authentication (-Y, -S), a unix socket (-s) and the edge\'s timeouts are served with --threads 2', T, () => {
  const both = load(['--threads', '2', '-Z', '-o', 'ssl_chain_cert=/tmp/cert.pem', '-Y', '/tmp/users', '-S']);
  assert.equal(both.options.threads, 2);
  assert.equal(both.options.tls, true);
  assert.equal(both.options['auth-file'], '/tmp/users');
  assert.equal(both.options.sasl, true);
  assert.equal(load(['-t', '2', '-s', '/tmp/kvlab.sock']).options['unix-socket'], '/tmp/kvlab.sock');
  const timeouts = load(['-t', '2', '--idle-timeout', '5', '--partial-request-timeout', '3']).options;
  assert.deepEqual([timeouts.threads, timeouts['idle-timeout'], timeouts['partial-request-timeout']], [2, 5, 3]);
});
