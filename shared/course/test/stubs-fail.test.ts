/**
 * Every untouched stub fails its tests, and fails *every* check at a TODO: proof that each check
 * exercises the code the learner writes, and can fail. A stub the learner has edited is skipped.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXERCISES } from '../catalog/index.ts';
import { formatRun } from '../cli/format-run.ts';
import { implementationPath, Source, testPath } from '../paths.ts';
import { isAsShipped } from '../pristine.ts';
import { FailureKind, runChecks } from '../runner/run-checks.ts';

describe('every untouched stub fails every one of its checks', { concurrency: 2 }, () => {
  for (const exercise of EXERCISES) {
    const stub = implementationPath(exercise, Source.Exercises);
    const skip = isAsShipped(stub) === false ? `${stub} has been edited; this proof needs the shipped stub` : false;
    test(`${exercise.number} ${exercise.id}`, { timeout: 90_000, skip }, async () => {
      const run = await runChecks(testPath(exercise), Source.Exercises);
      const report = formatRun(exercise, run, Source.Exercises).join('\n');
      assert.equal(run.loadError, undefined, report);
      assert.ok(run.checks.length >= 3, report);
      for (const check of run.checks) {
        assert.equal(check.status, 'fail', `"${check.name}" passed against the untouched stub`);
        assert.equal(check.failure?.kind, FailureKind.Todo, `"${check.name}" failed, but not at a TODO: ${check.failure?.message}`);
      }
    });
  }
});
