/**
 * The authentication transcripts against real memcached started with `-Y` (the text cases: they
 * are memcached's behaviour) and against phase 4 with `-Y` and `-S`, on the event loop and with
 * ring workers, each case in every framing (whole, byte by byte, random cuts).
 */
import { after, before, describe, test } from 'node:test';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_FRAMINGS } from '../../../../shared/conformance/framing.ts';
import { playTranscript } from '../../../../shared/conformance/transcript-player.ts';
import { WireConnection } from '../../../../shared/conformance/wire-connection.ts';
import { memcachedInstalled, startMemcached, startPhase, type RunningServer } from '../../../../shared/testing/server-process.ts';
import { AUTH_FILE_TEXT, SASL_CASES, TEXT_CASES, type AuthCase } from './auth-cases.ts';

const dir = mkdtempSync(join(tmpdir(), 'kvlab-auth-'));
// memcached reads the file as user nobody, after dropping root.
chmodSync(dir, 0o755);
const usersFile = join(dir, 'users.txt');
writeFileSync(usersFile, AUTH_FILE_TEXT, { mode: 0o644 });
after(() => rmSync(dir, { recursive: true, force: true }));

const SEED = 4242;
let run = 0;

/** Plays every case in every framing against `server`. */
async function playCases(server: () => RunningServer, cases: readonly AuthCase[]): Promise<void> {
  for (const [number, authCase] of cases.entries()) {
    for (const framing of ALL_FRAMINGS) {
      const prefix = `auth${process.pid}-${++run}`;
      const connection = await WireConnection.open(server().host, server().port);
      try {
        await playTranscript(connection, authCase.steps((name) => `${prefix}-${name}`), {
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

describe('memcached -Y', { skip: memcachedInstalled() ? false : 'memcached is not installed (apt-get install memcached)' }, () => {
  const server = serve(() => startMemcached(['-Y', usersFile]));
  test('the text cases', { timeout: 60_000 }, () => playCases(server, TEXT_CASES));
});

for (const workers of ['0', '2']) {
  describe(`phase 4 -Y -S, --workers ${workers}`, () => {
    // No slowdown here: the cases fail on purpose, all from 127.0.0.1 (auth-server.test.ts checks it).
    const server = serve(() => startPhase('phase4', ['--workers', workers, '-Y', usersFile, '-S', '--auth-delay-ms', '0']));
    test('the text cases', { timeout: 60_000 }, () => playCases(server, TEXT_CASES));
    test('the SASL cases', { timeout: 60_000 }, () => playCases(server, SASL_CASES));
  });
}
