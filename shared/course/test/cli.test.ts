/**
 * The course's commands end to end, as a learner types them, with progress in a temporary file:
 * verify (pass, not started, unknown exercise), hint one at a time, the exercise list, and reset.
 * Failures are explained in words: no command prints a stack trace.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { EXERCISES, findExercise } from '../catalog/index.ts';
import { absolutePath, implementationPath, Source } from '../paths.ts';
import { isAsShipped } from '../pristine.ts';
import { runCli, temporaryProgress } from './run-cli.ts';

const T = { timeout: 60_000 };
const EXPTIME = findExercise('exptime')!;
const STUB = implementationPath(EXPTIME, Source.Exercises);
const edited = isAsShipped(STUB) === false ? `${STUB} has been edited` : false;
const STUB_FILE = absolutePath(STUB);
/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+[:(]/m;

function progressOf(file: string): { exercises: Record<string, { done: boolean; hintsShown: number; runs: number }> } {
  return JSON.parse(readFileSync(file, 'utf8')) as { exercises: Record<string, { done: boolean; hintsShown: number; runs: number }> };
}

describe('course commands', { concurrency: 2 }, () => {
  test('verify <exercise> against the reference: every check passes, exit 0, progress untouched', T, async () => {
    const progress = temporaryProgress();
    const result = await runCli('verify', ['--source', 'solutions', 'exptime'], progress);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /All 5 checks pass: 1\.1 exptime is done\./);
    assert.equal(existsSync(progress), false);
  });

  test('verify on an untouched stub: "not started", what is missing, exit 1, no stack trace', { ...T, skip: edited }, async () => {
    const progress = temporaryProgress();
    const result = await runCli('verify', [], progress);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /1\.1 exptime/);
    assert.match(result.stdout, /5 checks wait for the parts marked TODO: expiresAt, isExpired/);
    assert.match(result.stdout, /Not started yet\. Open exercises\/phase1\/exptime\.ts/);
    assert.doesNotMatch(result.stdout + result.stderr, STACK_LINE);
    assert.deepEqual(progressOf(progress).exercises.exptime, { done: false, hintsShown: 0, runs: 1 });
  });

  test('a mistake on the command line: one sentence and the usage, exit 2', T, async () => {
    const result = await runCli('verify', ['no-such-exercise'], temporaryProgress());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /there is no exercise "no-such-exercise"/);
    assert.match(result.stderr, /usage:/);
    assert.doesNotMatch(result.stderr, STACK_LINE);
    const bad = await runCli('verify', ['--server', 'phase9'], temporaryProgress());
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--server takes phase1 or phase2/);
  });

  test('hint reveals one hint per call, each further along, and remembers how far it got', T, async () => {
    const progress = temporaryProgress();
    const total = EXPTIME.hints.length;
    for (let shown = 1; shown <= total + 1; shown++) {
      const result = await runCli('hint', ['1.1'], progress);
      const expected = Math.min(shown, total);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`Hint ${expected} of ${total}:`));
      assert.ok(result.stdout.includes(EXPTIME.hints[expected - 1]!.split(' ').slice(0, 4).join(' ')), result.stdout);
      if (expected === total) assert.match(result.stdout, /That was the last hint/);
    }
    assert.equal(progressOf(progress).exercises.exptime?.hintsShown, total);
  });

  test('exercises lists every exercise with its status, and what to run next', T, async () => {
    const progress = temporaryProgress();
    writeFileSync(progress, JSON.stringify({ version: 1, exercises: { exptime: { done: true, hintsShown: 1, runs: 3 } } }));
    const result = await runCli('exercises', [], progress);
    assert.equal(result.code, 0, result.stderr);
    for (const exercise of EXERCISES) assert.match(result.stdout, new RegExp(`${exercise.number.replace('.', '\\.')} ${exercise.id}`));
    assert.match(result.stdout, /✓ 1\.1 exptime .* done · 1 of 3 hints/);
    assert.match(result.stdout, /Next: npm run verify {2}\(1\.2 counter-value/);
  });

  test('verify --reset <exercise> restores the stub and forgets its progress', { ...T, skip: edited }, async () => {
    const progress = temporaryProgress();
    writeFileSync(progress, JSON.stringify({ version: 1, exercises: { exptime: { done: true, hintsShown: 2, runs: 4 }, 'counter-value': { done: false, hintsShown: 1, runs: 1 } } }));
    const before = readFileSync(STUB_FILE, 'utf8');
    const result = await runCli('verify', ['--reset', 'exptime'], progress);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /exercises\/phase1\/exptime\.ts is the original stub again/);
    assert.equal(readFileSync(STUB_FILE, 'utf8'), before);
    assert.deepEqual(Object.keys(progressOf(progress).exercises), ['counter-value']);
  });
});
