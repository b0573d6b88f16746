/**
 * The flood (flood-child.ts, in its own process): values of random sizes totalling 10 × -m go into
 * a 32 MiB slab store with zero errors, the process's RSS grows by no more than the store's buffer
 * — -m plus its hash buckets (1/32 of -m) — and a fixed 8 MiB for everything else, and a small
 * working set read throughout keeps a high hit rate although the flood evicts everything else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./flood-child.ts', import.meta.url));
const MEMORY_MB = 32;
const MIB = 1024 * 1024;
/** What the process may grow by besides -m: the buckets (4 bytes per 128 of -m) and 8 MiB. */
const ALLOWED_GROWTH = MEMORY_MB * MIB + (MEMORY_MB * MIB) / 32 + 8 * MIB;

test(`a flood of 10 × -m (${MEMORY_MB} MiB) in random sizes: no errors, bounded RSS, the working set kept`, { timeout: 90_000 }, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', CHILD, String(MEMORY_MB)], { encoding: 'utf8', timeout: 80_000 });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { written: number; errors: number; hitRate: number; evictions: number; rssGrowth: number };
  assert.ok(result.written >= 10 * MEMORY_MB * MIB);
  assert.equal(result.errors, 0, 'every store succeeded');
  assert.ok(result.evictions > 0, 'the flood had to evict');
  assert.ok(result.rssGrowth <= ALLOWED_GROWTH, `RSS grew ${(result.rssGrowth / MIB).toFixed(1)} MiB, allowed ${(ALLOWED_GROWTH / MIB).toFixed(1)} MiB`);
  assert.ok(result.hitRate >= 0.8, `the working set's hit rate: ${result.hitRate.toFixed(3)}`);
});
