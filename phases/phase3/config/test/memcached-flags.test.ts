/**
 * memcached's flags: those whose meaning matches set the same option, getopt's spellings work,
 * and the others are refused (or, for -u and -b, ignored) with the reason.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCode } from '../config-error.ts';
import { loadConfig } from '../load-config.ts';
import { MEMCACHED_FLAGS } from '../memcached-flags.ts';
import { expectConfigError } from './expect-error.ts';

const T = { timeout: 10_000 };

/** loadConfig from flags alone, as a non-root process unless told. */
function flags(argv: string[], isRoot = false) {
  return loadConfig({ argv, env: {}, isRoot });
}

describe("memcached's flags", () => {
  test('a unit line written for memcached starts KV Lab', T, () => {
    const { options, origins, warnings } = flags(['-p', '11311', '-u', 'memcache', '-m', '128', '-c', '2048', '-l', '127.0.0.1', '-U', '0', '-t', '1']);
    assert.equal(options.port, 11311);
    assert.equal(options['memory-mb'], 128);
    assert.equal(options['max-connections'], 2048);
    assert.equal(options.host, '127.0.0.1');
    assert.equal(options.workers, 0);
    assert.deepEqual(origins.port, { kind: 'flag', flag: '-p' });
    assert.deepEqual(origins.workers, { kind: 'flag', flag: '-t' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^-u memcache ignored: not running as root/);
  });

  test('-I, -R, -s, -A, -M and -B auto', T, () => {
    const { options } = flags(['-I', '2m', '-R', '20', '-s', '/run/kvlab.sock', '-A', '-M', '-B', 'auto']);
    assert.equal(options['max-item-size'], 2 * 1024 * 1024);
    assert.equal(options['requests-per-turn'], 20);
    assert.equal(options['unix-socket'], '/run/kvlab.sock');
    assert.equal(options['enable-shutdown'], true);
  });

  test("getopt's spellings: a value in the same word, grouped letters, a value that looks like a flag", T, () => {
    assert.equal(flags(['-p11312']).options.port, 11312);
    const grouped = flags(['-Avv']);
    assert.equal(grouped.options['enable-shutdown'], true);
    assert.equal(grouped.options['log-level'], 'debug');
    assert.deepEqual(grouped.origins['log-level'], { kind: 'flag', flag: '-vv' });
    assert.equal(flags(['-Ap', '9']).options.port, 9);
    expectConfigError(() => flags(['-p', '-1']), { code: ConfigErrorCode.Invalid, option: 'port', source: 'flag -p', message: /"-1"/ });
  });

  test('-t N: 1 runs on the event loop, N is N ring workers, 0 is refused as memcached refuses it', T, () => {
    assert.equal(flags(['-t', '1']).options.workers, 0);
    assert.equal(flags(['-t', '4']).options.workers, 4);
    assert.equal(flags(['-t4']).options.workers, 4);
    expectConfigError(() => flags(['-t', '0']), { code: ConfigErrorCode.Refused, option: '-t', source: 'flag -t', message: /at least 1 thread/ });
    expectConfigError(() => flags(['-t', '65']), { code: ConfigErrorCode.Invalid, option: 'workers', source: 'flag -t', message: /65 \(allowed: an integer from 0 to 64\)/ });
    expectConfigError(() => flags(['-t', 'many']), { code: ConfigErrorCode.Invalid, option: 'workers', source: 'flag -t', message: /"many"/ });
  });

  test('-v is info, -vv and -vvv debug, counted across words; the last of -v and --log-level wins', T, () => {
    assert.equal(flags(['-v']).options['log-level'], 'info');
    assert.equal(flags(['-vv']).options['log-level'], 'debug');
    assert.equal(flags(['-v', '-v']).options['log-level'], 'debug');
    assert.equal(flags(['-vvv']).options['log-level'], 'debug');
    assert.equal(flags(['-vv', '--log-level', 'warn']).options['log-level'], 'warn');
    assert.equal(flags(['--log-level', 'warn', '-v']).options['log-level'], 'info');
  });

  test('-l takes one address; a list is refused', T, () => {
    assert.equal(flags(['-l', '::']).options.host, '::');
    expectConfigError(() => flags(['-l', '127.0.0.1,::1']), {
      code: ConfigErrorCode.Refused, option: '-l', source: 'flag -l', message: /^-l refused: KV Lab listens on one address, got the list "127\.0\.0\.1,::1"/,
    });
  });

  test('-U: only 0 (UDP off)', T, () => {
    assert.equal(flags(['-U', '0']).warnings.length, 0);
    assert.equal(flags(['-U0']).options.port, 11211);
    expectConfigError(() => flags(['-U', '11211']), { code: ConfigErrorCode.Refused, option: '-U', source: 'flag -U', message: /UDP is not served.*"11211"/ });
  });

  test('-u as root is refused: KV Lab does not switch users', T, () => {
    expectConfigError(() => flags(['-u', 'memcache'], true), {
      code: ConfigErrorCode.Refused, option: '-u', source: 'flag -u', message: /does not switch to user "memcache".*User=memcache/,
    });
  });

  test('-b is ignored with a warning; -B other than auto is refused', T, () => {
    assert.match(flags(['-b', '2048']).warnings.join(), /-b 2048 ignored/);
    expectConfigError(() => flags(['-B', 'binary']), { code: ConfigErrorCode.Refused, option: '-B', source: 'flag -B', message: /both protocols/ });
  });

  test('every refused flag says why', T, () => {
    for (const [letter, flag] of Object.entries(MEMCACHED_FLAGS)) {
      if (!flag.about.startsWith('refused: ')) continue;
      const argv = flag.takes === 'value' ? [`-${letter}`, 'x'] : [`-${letter}`];
      const error = expectConfigError(() => flags(argv), {
        code: ConfigErrorCode.Refused, option: `-${letter}`, source: `flag -${letter}`, message: new RegExp(`^-${letter} refused: .{10,}`),
      });
      assert.ok(error.message.endsWith(flag.about.slice('refused: '.length)), error.message);
    }
    expectConfigError(() => flags(['-d']), { code: ConfigErrorCode.Refused, option: '-d', source: 'flag -d', message: /does not daemonize.*systemd/ });
  });

  test('-h and --help ask for help', T, () => {
    assert.equal(flags(['-h']).help, true);
    assert.equal(flags(['--help']).help, true);
    assert.equal(flags([]).help, false);
  });
});
