/**
 * Checks one exercise, prints the report, and records the outcome in the progress file (only for
 * the learner's own files: checking the reference answers leaves progress alone).
 * @module
 */
import { EXERCISES, type Exercise } from '../catalog/index.ts';
import { Source, testPath } from '../paths.ts';
import { entryFor, loadProgress, saveProgress, type Progress } from '../progress.ts';
import { passed, runChecks } from '../runner/run-checks.ts';
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

/** Runs the exercise's checks, prints what happened, saves progress. Returns whether it passed. */
export async function verifyExercise(exercise: Exercise, source: Source): Promise<boolean> {
  const run = await runChecks(testPath(exercise), source);
  for (const line of formatRun(exercise, run, source)) console.log(line);
  const ok = passed(run);
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
