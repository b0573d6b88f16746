/**
 * A short fuzz pass against every phase and protocol it serves, started here on a free loopback
 * port: a few thousand frames each, bounded in time, and the report must be clean — no crash, no
 * hang, the canary intact, the connection count back at its baseline. The seed is fixed so a
 * failure replays exactly; KVLAB_FUZZ_SEED picks another.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memcachedInstalled } from '../testing/server-process.ts';
import { runFuzz } from './fuzz-run.ts';
import type { FuzzProtocolName } from './fuzz-protocol.ts';
import { formatReport, isClean } from './report.ts';

const SEED = Number(process.env.KVLAB_FUZZ_SEED ?? 20_240_601);
/** Enough for every generator and mutator to fire many times; a second or two on an idle machine. */
const FRAMES = 3000;
/** The run stops itself here even on a loaded machine; the test's own timeout is above it. */
const SECONDS = 20;

interface Pass {
  readonly target: string;
  readonly serverArgs: readonly string[];
  readonly protocol: FuzzProtocolName;
}

const PASSES: readonly Pass[] = [
  { target: 'phase1', serverArgs: [], protocol: 'text' },
  { target: 'phase2', serverArgs: [], protocol: 'text' },
  { target: 'phase2', serverArgs: [], protocol: 'binary' },
  { target: 'phase2', serverArgs: ['--workers', '2'], protocol: 'text' },
  { target: 'phase2', serverArgs: ['--workers', '2'], protocol: 'binary' },
  { target: 'phase3', serverArgs: [], protocol: 'text' },
  { target: 'phase3', serverArgs: [], protocol: 'binary' },
];

function replay(pass: Pass): string {
  const workers = pass.serverArgs.length > 0 ? ` --workers ${pass.serverArgs[1]}` : '';
  return `npm run fuzz -- --target ${pass.target}${workers} --protocol ${pass.protocol} --frames ${FRAMES} --seed ${SEED} --connections 4 --canary-every 500 --hang-ms 5000`;
}

describe('fuzzing every phase', { timeout: 60_000 }, () => {
  for (const pass of PASSES) {
    const name = `${pass.target}${pass.serverArgs.length > 0 ? ` ${pass.serverArgs.join(' ')}` : ''} ${pass.protocol}`;
    test(`${name}: ${FRAMES} frames, clean report`, async () => {
      const report = await runFuzz({
        ...pass, frames: FRAMES, seconds: SECONDS, seed: SEED, connections: 4, canaryEvery: 500, hangMs: 5000,
        session: null, replay: replay(pass),
      });
      assert.ok(isClean(report), formatReport(report));
      assert.ok(report.framesSent > 0 && report.sessions.synced > 0, formatReport(report));
    });
  }

  // Real memcached: proves the fuzzer's sync models and checks raise no false alarm.
  for (const protocol of ['text', 'binary'] as const) {
    test(`memcached ${protocol}: clean report`, { skip: memcachedInstalled() ? false : 'memcached is not installed' }, async () => {
      const report = await runFuzz({
        target: 'memcached', serverArgs: [], protocol, frames: FRAMES, seconds: SECONDS, seed: SEED, connections: 4,
        canaryEvery: 500, hangMs: 5000, session: null,
        replay: `npm run fuzz -- --target memcached --protocol ${protocol} --frames ${FRAMES} --seed ${SEED}`,
      });
      assert.ok(isClean(report), formatReport(report));
    });
  }
});
