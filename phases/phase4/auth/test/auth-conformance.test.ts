/**
 * The authentication transcripts against real memcached — with `-Y` for the text cases, with `-S`
 * and a Cyrus sasldb of the same users for the SASL cases (when sasl2-bin's saslpasswd2 is there
 * to write it) — and against phase 4 with `-Y` and `-S`, on the event loop and with ring workers,
 * each case in every framing (whole, byte by byte, random cuts).
 */
import { after, before, describe, test } from 'node:test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_FRAMINGS } from '../../../../shared/conformance/framing.ts';
import { playTranscript } from '../../../../shared/conformance/transcript-player.ts';
import { WireConnection } from '../../../../shared/conformance/wire-connection.ts';
import { memcachedInstalled, startMemcached, startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { SASL_CASES, TEXT_CASES, type AuthCase } from './auth-cases.ts';
import { AUTH_FILE_TEXT } from '../../../../shared/conformance/cases/unauthenticated.ts';
import { saslUnavailable, writeSaslConfig } from '../../../../shared/testing/sasl-config.ts';
import { PHASE4_VERSION } from '../../server.ts';

/** The version Debian's memcached reports (the suite's reference is 1.6.18). */
const MEMCACHED_VERSION = '1.6.18';

const dir = mkdtempSync(join(tmpdir(), 'kvlab-auth-'));
// memcached reads the file as user nobody, after dropping root.
chmodSync(dir, 0o755);
const usersFile = join(dir, 'users.txt');
writeFileSync(usersFile, AUTH_FILE_TEXT, { mode: 0o644 });
after(() => rmSync(dir, { recursive: true, force: true }));

const SEED = 4242;
let run = 0;

/** Plays every case in every framing against `server`, whose version string is `version`. */
async function playCases(server: () => RunningServer, cases: readonly AuthCase[], version: string): Promise<void> {
  for (const [number, authCase] of cases.entries()) {
    for (const framing of ALL_FRAMINGS) {
      const prefix = `auth${process.pid}-${++run}`;
      const connection = await WireConnection.open(server().host, server().port);
      try {
        await playTranscript(connection, authCase.steps((name) => `${prefix}-${name}`, version), {
          target: `${server().name} (${server().host}:${server().port})`,
          caseName: authCase.name,
          framing,
          seed: SEED,
          cutSeed: SEED + number,
          sentinelKey: authCase.endsLoggedIn ? `${prefix}-never-stored` : null,
        });
      } finally {
        connection.destroy();
      }
    }
  }
}

/** Starts a target before its tests and stops it after. */
function serve(start: () => Promise<RunningServer>): () => RunningServer {
  let server: RunningServer | null = null;
  before(async () => {
    server = await start();
  });
  after(async () => {
    await server?.stop();
  });
  return () => server!;
}

const noMemcached = memcachedInstalled() ? false : 'memcached is not installed (apt-get install memcached)';

describe('memcached -Y', { skip: noMemcached }, () => {
  const server = serve(() => startMemcached(['-Y', usersFile]));
  test('the text cases', { timeout: 60_000 }, () => playCases(server, TEXT_CASES, MEMCACHED_VERSION));
});

describe('memcached -S', { skip: noMemcached || saslUnavailable() }, () => {
  const server = serve(() => {
    // memcached's Cyrus SASL reads its configuration from here; this process starts only this memcached with it.
    process.env.SASL_CONF_PATH = writeSaslConfig(dir, AUTH_FILE_TEXT);
    return startMemcached(['-S']);
  });
  test('the SASL cases', { timeout: 60_000 }, () => playCases(server, SASL_CASES, MEMCACHED_VERSION));
});

for (const workers of ['0', '2']) {
  describe(`phase 4 -Y -S, --workers ${workers}`, () => {
    // No slowdown here: the cases fail on purpose, all from 127.0.0.1 (auth-server.test.ts checks it).
    const server = serve(() => startPhase('phase4', ['--workers', workers, '-Y', usersFile, '-S', '--auth-delay-ms', '0']));
    test('the text cases', { timeout: 60_000 }, () => playCases(server, TEXT_CASES, PHASE4_VERSION));
    test('the SASL cases', { timeout: 60_000 }, () => playCases(server, SASL_CASES, PHASE4_VERSION));
  });
}
