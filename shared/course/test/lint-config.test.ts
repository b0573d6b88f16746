/**
 * A finished exercise passes the learner's `npm test`: its stub imported `todo`, and once every
 * TODO is written that import is unused. The lint configuration lets exactly that name go in
 * exercises/, and nowhere else — an unused `todo` in the phase code is still an error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { absolutePath, REPO_ROOT } from '../paths.ts';

const RULE = '@typescript-eslint/no-unused-vars';

/** The pattern of unused names no-unused-vars lets go in `file`. */
async function ignoredNames(eslint: ESLint, file: string): Promise<RegExp> {
  const config = (await eslint.calculateConfigForFile(absolutePath(file))) as { rules?: Record<string, unknown> };
  const setting = config.rules?.[RULE];
  assert.ok(Array.isArray(setting), `${file}: ${RULE} is configured`);
  const [severity, options] = setting as [unknown, { varsIgnorePattern?: string } | undefined];
  assert.ok(severity === 2 || severity === 'error', `${file}: ${RULE} is an error`);
  return new RegExp(options?.varsIgnorePattern ?? '(?!)', 'u');
}

test('an unused todo import is allowed in an exercise, and nowhere else; other unused names are errors everywhere', { timeout: 30_000 }, async () => {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const exercise = await ignoredNames(eslint, 'exercises/phase1/exptime.ts');
  assert.ok(exercise.test('todo'), 'exercises/: an unused todo import is let go');
  assert.ok(!exercise.test('todos') && !exercise.test('inspect'), 'exercises/: other unused names are errors');
  const phase = await ignoredNames(eslint, 'shared/store/exptime.ts');
  assert.ok(!phase.test('todo'), 'shared/: an unused todo is an error');
});
