/**
 * A smoke run of the lock benchmark at a thousandth of its size: every measurement comes back as
 * a positive rate and the report carries its context. (Benchmarks assert no timings.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLockBench, runLockBench } from './lock-bench.ts';

describe('lock benchmark', { timeout: 60_000 }, () => {
  test('measures every case and prints its context', async () => {
    const result = await runLockBench({ scale: 0.001, threads: [1, 2] });
    const rates = [result.inline, ...result.contended, ...result.workers];
    assert.deepEqual(rates.map((r) => r.threads), [1, 1, 2, 1, 2]);
    for (const rate of rates) assert.ok(Number.isFinite(rate.perSecond) && rate.perSecond > 0, JSON.stringify(rate));
    assert.ok(Number.isFinite(result.uncontendedNs) && result.uncontendedNs > 0);
    const lines = formatLockBench(result, 'npm run bench:lock -- --scale 0.001');
    assert.match(lines.join('\n'), /node v\d+.*CPUs/);
    assert.match(lines.join('\n'), /command: npm run bench:lock -- --scale 0\.001/);
    assert.match(lines.join('\n'), /2 workers/);
  });
});
