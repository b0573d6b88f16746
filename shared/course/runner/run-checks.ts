/**
 * Runs one exercise's test file against one implementation and turns what node:test reports into
 * the course's words: each check passed, was skipped, or failed — because it reached a TODO,
 * because a comparison found a difference, because the code threw, or because it ran out of time.
 * The harness's own stack frames never reach the learner; only the line of *their* file does.
 * @module
 */
import { isAbsolute } from 'node:path';
import { SOURCE_VARIABLE } from '../load-exercise.ts';
import { absolutePath, type Source } from '../paths.ts';
import { TODO_CODE } from '../todo.ts';
import { runTestFile, type ReportedError } from './run-test-file.ts';
import { loadProblem, whereInExercise } from './stack-lines.ts';

/** Why a check failed. */
export const FailureKind = {
  /** The check reached a `todo()`: that part is not written yet. */
  Todo: 'todo',
  /** A check compared and found a difference (given / expected / received). */
  Check: 'check',
  /** The code under test threw something unexpected. */
  Error: 'error',
  /** The check did not finish in time. */
  Timeout: 'timeout',
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

/** One failed check, explained. */
export interface Failure {
  readonly kind: FailureKind;
  readonly message: string;
  /** `exercises/phase1/x.ts:12:5`: the learner's line where it happened, when known. */
  readonly where?: string;
}

/** One check (one `test()` of the exercise's test file). */
export interface CheckResult {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly failure?: Failure;
}

/** Everything one run found out. */
export interface CheckRun {
  readonly checks: CheckResult[];
  /** The test file could not even start (a syntax error, a missing export): what went wrong. */
  readonly loadError?: string;
  /** The whole run was stopped at its deadline (an endless loop, a wait nobody wakes). */
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/** How long a whole exercise run may take; each check has its own, shorter timeout. */
export const RUN_DEADLINE_MS = 60_000;

/** True when every check passed and there was at least one. */
export function passed(run: CheckRun): boolean {
  return !run.timedOut && run.loadError === undefined && run.checks.length > 0 && run.checks.every((check) => check.status !== 'fail');
}

/** True when the file is still the stub: every check that failed did so at a TODO. */
export function untouched(run: CheckRun): boolean {
  return run.loadError === undefined && run.checks.length > 0 && run.checks.every((check) => check.failure?.kind === FailureKind.Todo);
}

/** Turns node:test's failure into the course's words. */
function explain(error: ReportedError | undefined): Failure {
  const cause = error?.cause;
  if (error?.failureType === 'testTimeoutFailure') return { kind: FailureKind.Timeout, message: error.message };
  if (cause === undefined) return { kind: FailureKind.Error, message: error?.message ?? 'failed' };
  const where = whereInExercise(cause.stack);
  if (cause.code === TODO_CODE) return { kind: FailureKind.Todo, message: cause.message, where };
  if (cause.name === 'CheckFailure' || cause.name === 'AssertionError') return { kind: FailureKind.Check, message: cause.message, where };
  return { kind: FailureKind.Error, message: `${cause.name}: ${cause.message}`, where };
}

/** Runs `testFile` (repository-relative, or absolute) against `source` and collects the results. */
export async function runChecks(testFile: string, source: Source, deadlineMs = RUN_DEADLINE_MS): Promise<CheckRun> {
  const file = isAbsolute(testFile) ? testFile : absolutePath(testFile);
  const run = await runTestFile(file, { env: { [SOURCE_VARIABLE]: source }, deadlineMs });
  const checks: CheckResult[] = [];
  for (const test of run.tests) {
    if (!test.suite) {
      checks.push({ name: test.name, status: test.status, failure: test.status === 'fail' ? explain(test.error) : undefined });
    } else if (test.status === 'fail' && test.error?.failureType !== 'subtestsFailed') {
      // A suite that failed by itself: its before() or after() hook threw.
      checks.push({ name: `${test.name}: setting up or tearing down`, status: 'fail', failure: explain(test.error) });
    }
  }
  let loadError: string | undefined;
  if (run.fileFailure !== undefined || (checks.length === 0 && !run.timedOut)) {
    loadError = loadProblem(run.output) ?? `${testFile} did not run (${run.fileFailure?.message ?? 'no check reported'})`;
  }
  return { checks, loadError, timedOut: run.timedOut, durationMs: run.durationMs };
}
