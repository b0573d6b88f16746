/**
 * Every exercise's tests pass against its reference answer — which is the module the servers
 * run — so the tests ask for nothing the reference does not do.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXERCISES } from '../catalog/index.ts';
import { formatRun } from '../cli/format-run.ts';
import { Source, testPath } from '../paths.ts';
import { passed, runChecks } from '../runner/run-checks.ts';

describe('every reference answer passes its exercise\'s tests', { concurrency: 2 }, () => {
  for (const exercise of EXERCISES) {
    test(`${exercise.number} ${exercise.id}`, { timeout: 90_000 }, async () => {
      const run = await runChecks(testPath(exercise), Source.Solutions);
      assert.ok(passed(run), formatRun(exercise, run, Source.Solutions).join('\n'));
      assert.ok(run.checks.length >= 3, `${exercise.id} has only ${run.checks.length} checks`);
    });
  }
});
