/**
 * How the runner reports what goes wrong besides a failed check: a file that does not load shows
 * the compiler's words (not Node's internals), an endless loop is stopped at the deadline, and a
 * stack trace is reduced to the learner's own line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, Source } from '../paths.ts';
import { runChecks } from '../runner/run-checks.ts';
import { loadProblem, whereInExercise } from '../runner/stack-lines.ts';

const T = { timeout: 30_000 };

/** A test file (and a module it imports) in a fresh temporary folder. */
function scratch(module: string, testBody: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'kvlab-runner-'));
  writeFileSync(join(folder, 'module.ts'), module);
  writeFileSync(join(folder, 'module.test.ts'), `import { test } from 'node:test';\nimport { value } from './module.ts';\n${testBody}\n`);
  return join(folder, 'module.test.ts');
}

describe('the runner', { concurrency: 2 }, () => {
  test('a module with a syntax error: the compiler\'s message, no Node internals', T, async () => {
    const run = await runChecks(scratch('export const value = ;\n', "test('x', () => { void value; });"), Source.Exercises);
    assert.equal(run.checks.length, 0);
    assert.match(run.loadError ?? '', /module\.ts:1:\d+: ERROR: Unexpected ";"/);
    assert.doesNotMatch(run.loadError ?? '', /node:internal|^\s+at /m);
  });

  test('an endless loop is stopped at the deadline', T, async () => {
    const run = await runChecks(scratch('export const value = 1;\n', 'test(\'spins\', () => { for (;;) { if (value === 2) break; } });'), Source.Exercises, 1500);
    assert.equal(run.timedOut, true);
  });

  test('a stack is reduced to the first line in an exercise file (not a test, not the harness)', T, () => {
    const stack = [
      'Error: boom',
      `    at todo (${REPO_ROOT}shared/course/todo.ts:35:9)`,
      `    at RingWriter.tryPush (${REPO_ROOT}exercises/phase2/ring-buffer.ts:80:12)`,
      `    at TestContext.<anonymous> (${REPO_ROOT}exercises/phase2/ring-buffer.test.ts:41:5)`,
    ].join('\n');
    assert.equal(whereInExercise(stack), 'exercises/phase2/ring-buffer.ts:80:12');
    assert.equal(whereInExercise(`    at file://${REPO_ROOT}exercises/phase1/exptime.ts:3:1`), 'exercises/phase1/exptime.ts:3:1');
    assert.equal(whereInExercise(`    at x (${REPO_ROOT}exercises/phase1/exptime.test.ts:3:1)`), undefined);
  });

  test('crash output keeps the error\'s words and drops the noise', T, () => {
    const output = [
      'node:internal/modules/run_main:123', '    triggerUncaughtException(', '    ^', '',
      `SyntaxError: The requested module './x.ts' does not provide an export named 'y'`,
      '    at ModuleJob._instantiate (node:internal/modules/esm/module_job:123:21)', '', 'Node.js v20.20.2',
    ].join('\n');
    assert.equal(loadProblem(output), "SyntaxError: The requested module './x.ts' does not provide an export named 'y'");
  });
});
