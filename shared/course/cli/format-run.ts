/**
 * How a verify run reads on the terminal: the exercise and its file, one line per check with the
 * reason under each failure (indented, as given / expected / received), and one closing sentence
 * that says what to do next.
 * @module
 */
import type { Exercise } from '../catalog/index.ts';
import { existsSync, readFileSync } from 'node:fs';
import { absolutePath, implementationPath, type Source } from '../paths.ts';
import { FailureKind, passed, untouched, type CheckResult, type CheckRun, RUN_DEADLINE_MS } from '../runner/run-checks.ts';
import type { TypeProblem } from '../runner/type-check.ts';
import { Mark, paint } from './paint.ts';
import { wrap } from './wrap.ts';

/** Indents every line of `text`. */
function indent(text: string, spaces: number): string[] {
  return text.split('\n').map((line) => `${' '.repeat(spaces)}${line}`);
}

/** The heading of an exercise: `1.4 atomics-lock — a lock built on Atomics`, its file and goal. */
export function heading(exercise: Exercise, source: Source): string[] {
  return [
    `${paint('bold', `${exercise.number} ${exercise.id}`)} — ${exercise.title}  ${paint('dim', implementationPath(exercise, source))}`,
    ...wrap(exercise.goal, 2).map((line) => paint('dim', line)),
  ];
}

/** The names passed to `todo('…')` in a file: the parts still to write, in file order. */
export function todosIn(path: string): string[] {
  const text = existsSync(absolutePath(path)) ? readFileSync(absolutePath(path), 'utf8') : '';
  return [...new Set([...text.matchAll(/\btodo\('([^']+)'/g)].map((match) => match[1]!))];
}

function checkLines(check: CheckResult): string[] {
  if (check.status === 'pass') return [`  ${Mark.pass()} ${check.name}`];
  if (check.status === 'skip') return [`  ${Mark.skip()} ${check.name} ${paint('dim', '(skipped)')}`];
  const failure = check.failure!;
  const mark = failure.kind === FailureKind.Todo ? Mark.todo() : Mark.fail();
  const lines = [`  ${mark} ${check.name}`];
  if (failure.kind === FailureKind.Todo) lines.push(...indent(paint('yellow', failure.message.replace(/^TODO: /, '')), 6));
  else if (failure.kind === FailureKind.Timeout) lines.push(...indent(`did not finish in time (${failure.message})`, 6));
  else lines.push(...indent(failure.message, 6));
  if (failure.where !== undefined) lines.push(`      ${paint('dim', `at ${failure.where}`)}`);
  return lines;
}

/**
 * The type errors in the learner's file: the checks run the file without reading its types, so
 * a file can pass them and still fail `npm test`'s type check.
 */
function typeLines(file: string, problems: readonly TypeProblem[]): string[] {
  const lines = [`  ${Mark.fail()} ${file} does not type-check (the checks run it without reading its types; npm test reads them):`];
  for (const problem of problems) {
    lines.push(...indent(`line ${problem.line}, column ${problem.column}: ${problem.message} ${paint('dim', `(${problem.code})`)}`, 6));
  }
  return lines;
}

/** The whole report of one run (and of the file's type check), ending with what to do next. */
export function formatRun(exercise: Exercise, run: CheckRun, source: Source, problems: readonly TypeProblem[] = []): string[] {
  const file = implementationPath(exercise, source);
  const lines = heading(exercise, source);
  if (run.loadError !== undefined) {
    lines.push(`  ${Mark.fail()} ${file} could not be loaded:`, ...indent(run.loadError, 6));
    lines.push(`Fix the error above, then run the checks again.`);
    return lines;
  }
  const total = run.checks.length;
  if (untouched(run)) {
    // A fresh stub: list what is missing once, rather than the same TODO under every check.
    const missing = todosIn(file);
    lines.push(`  ${Mark.todo()} ${total} checks wait for the parts marked TODO${missing.length > 0 ? `: ${missing.join(', ')}` : ''}`);
    lines.push(`Not started yet. Open ${file}, write the parts marked TODO, and run this again.`);
    return lines;
  }
  for (const check of run.checks) lines.push(...checkLines(check));
  if (problems.length > 0) lines.push(...typeLines(file, problems));
  const good = run.checks.filter((check) => check.status === 'pass').length;
  if (run.timedOut) {
    lines.push(paint('red', `Stopped after ${RUN_DEADLINE_MS / 1000} s. Is there an endless loop — a while loop whose condition never changes, or an Atomics.wait that nothing notifies?`));
  } else if (passed(run) && problems.length > 0) {
    lines.push(`All ${total} checks pass. Fix the type error${problems.length === 1 ? '' : 's'} above, and ${exercise.number} ${exercise.id} is done.`);
  } else if (passed(run)) {
    lines.push(paint('green', `All ${total} checks pass: ${exercise.number} ${exercise.id} is done.`));
  } else {
    lines.push(`${good} of ${total} checks pass.`);
  }
  return lines;
}

