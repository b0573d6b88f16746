/**
 * Crash tests over TCP: under a write load the server is killed at a random moment and restarted
 * on the same directory. `--fsync always` loses no acknowledged write; `everysec` loses only writes
 * from about the last second; a SIGTERM under `no` loses nothing. CI runs a few trials
 * (`PERSIST_CRASH_TRIALS=20 node --import tsx --test phases/phase4/persistence/test/crash.test.ts`
 * runs the full count).
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashTrial } from './crash-harness.ts';

const TRIALS = Number(process.env.PERSIST_CRASH_TRIALS ?? 3);
/** everysec's promise, with room for a busy machine: an fsync a second, plus the one in flight. */
const EVERYSEC_WINDOW_MS = 2500;

function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-crash-'));
  return run(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test(`--fsync always: kill -9 at a random moment loses no acknowledged write (${TRIALS} trials)`, { timeout: 60_000 * TRIALS }, async (t) => {
  let acknowledged = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    const result = await withDir((dir) => crashTrial({ dir, fsync: 'always', signal: 'SIGKILL' }));
    assert.ok(result.acknowledged > 0, 'the load wrote nothing');
    assert.equal(result.lost, 0, `trial ${trial}: ${JSON.stringify(result)}`);
    acknowledged += result.acknowledged;
  }
  t.diagnostic(`${TRIALS} trials, ${acknowledged} acknowledged writes, 0 lost`);
});

test('--fsync everysec: kill -9 loses only writes acknowledged in about the last second', { timeout: 120_000 }, async (t) => {
  const result = await withDir((dir) => crashTrial({ dir, fsync: 'everysec', signal: 'SIGKILL', minMs: 1500, maxMs: 2500 }, EVERYSEC_WINDOW_MS));
  assert.ok(result.acknowledged > 0, 'the load wrote nothing');
  assert.equal(result.lostBeforeWindow, 0, JSON.stringify(result));
  t.diagnostic(JSON.stringify(result));
});

test('--fsync no: SIGTERM drains, snapshots and loses nothing', { timeout: 120_000 }, async (t) => {
  const result = await withDir((dir) => crashTrial({ dir, fsync: 'no', signal: 'SIGTERM' }));
  assert.ok(result.acknowledged > 0, 'the load wrote nothing');
  assert.equal(result.lost, 0, JSON.stringify(result));
  t.diagnostic(JSON.stringify(result));
});
