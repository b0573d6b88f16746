/**
 * `verify` catches type errors, which the checks cannot (tsx runs a file without reading its
 * types): the compiler's errors in the learner's file come back by line, and the report says
 * the exercise is not done while there is one, even when every check passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExercise } from '../catalog/index.ts';
import { formatRun } from '../cli/format-run.ts';
import { implementationPath, Source } from '../paths.ts';
import { typeProblems } from '../runner/type-check.ts';
import type { CheckRun } from '../runner/run-checks.ts';

const T = { timeout: 60_000 };

test('a type error in the file comes back with its line, column, message and code', T, () => {
  const folder = mkdtempSync(join(tmpdir(), 'kvlab-types-'));
  // An ES module, as every file of the repository is (its package.json says so).
  writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
  const file = join(folder, 'exercise.ts');
  writeFileSync(file, "/** A learner's slip. */\nexport function half(n: number): number {\n  const text: string = n / 2;\n  return text;\n}\n");
  const problems = typeProblems(file);
  assert.deepEqual(problems.map((problem) => [problem.line, problem.column, problem.code]), [[3, 9, 'TS2322'], [4, 3, 'TS2322']]);
  assert.match(problems[0]!.message, /Type 'number' is not assignable to type 'string'/);
});

test('the shipped stub type-checks: a fresh exercise starts with no type error', T, () => {
  const exptime = findExercise('exptime')!;
  assert.deepEqual(typeProblems(implementationPath(exptime, Source.Exercises)), []);
});

test('every check passing is not "done" while the file has a type error', T, () => {
  const exptime = findExercise('exptime')!;
  const run: CheckRun = { checks: [{ name: 'a check', status: 'pass' }, { name: 'another', status: 'pass' }, { name: 'a third', status: 'pass' }], timedOut: false, durationMs: 1 };
  const report = formatRun(exptime, run, Source.Exercises, [{ line: 33, column: 9, message: "Type 'string' is not assignable to type 'number'.", code: 'TS2322' }]).join('\n');
  assert.match(report, /exercises\/phase1\/exptime\.ts does not type-check/);
  assert.match(report, /line 33, column 9: Type 'string' is not assignable to type 'number'\./);
  assert.match(report, /Fix the type error above, and 1\.1 exptime is done\./);
  assert.doesNotMatch(report, /: 1\.1 exptime is done\./);
  const clean = formatRun(exptime, run, Source.Exercises).join('\n');
  assert.match(clean, /All 3 checks pass: 1\.1 exptime is done\./);
});
