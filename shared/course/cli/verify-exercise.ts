/**
 * Checks one exercise, prints the report, and records the outcome in the progress file (only for
 * the learner's own files: checking the reference answers leaves progress alone).
 * @module
 */
import { EXERCISES, type Exercise } from '../catalog/index.ts';
import { implementationPath, Source, testPath } from '../paths.ts';
import { entryFor, loadProgress, saveProgress, type Progress } from '../progress.ts';
import { passed, runChecks } from '../runner/run-checks.ts';
import { typeProblems } from '../runner/type-check.ts';
import { formatRun } from './format-run.ts';
import { paint } from './paint.ts';

/** The first exercise, in course order, that has not passed yet. */
export function nextUnfinished(progress: Progress): Exercise | undefined {
  return EXERCISES.find((exercise) => progress.exercises[exercise.id]?.done !== true);
}

/** True when every exercise of `phase` has passed. */
export function phaseDone(progress: Progress, phase: number): boolean {
  return EXERCISES.filter((exercise) => exercise.phase === phase).every((exercise) => progress.exercises[exercise.id]?.done === true);
}

/**
 * Runs the exercise's checks, prints what happened, saves progress. Returns whether it passed:
 * every check, and — for the learner's file — the type check, which the checks cannot see.
 */
export async function verifyExercise(exercise: Exercise, source: Source): Promise<boolean> {
  const running = runChecks(testPath(exercise), source);
  // While the checks run in their own process. The reference answers are the phase code, which
  // `npm run typecheck` holds to its types already.
  const file = implementationPath(exercise, source);
  const problems = source === Source.Exercises ? typeProblems(file) : [];
  const run = await running;
  for (const line of formatRun(exercise, run, source, problems)) console.log(line);
  const ok = passed(run) && problems.length === 0;
  if (source !== Source.Exercises) return ok;
  const progress = loadProgress();
  const entry = entryFor(progress, exercise.id);
  entry.runs++;
  const firstPass = ok && !entry.done;
  entry.done = ok;
  if (firstPass) entry.passedAt = new Date().toISOString();
  saveProgress(progress);
  if (ok && firstPass && phaseDone(progress, exercise.phase)) {
    console.log(paint('green', `Every exercise of phase ${exercise.phase} passes. The capstone: run your own server through the conformance suite:`));
    console.log(`  npm run verify -- --server phase${exercise.phase}`);
  }
  if (!ok) console.log(paint('dim', `Stuck? npm run hint -- ${exercise.id}`));
  return ok;
}
