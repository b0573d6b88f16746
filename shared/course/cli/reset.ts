/**
 * `npm run verify -- --reset <exercise>`: the original stub comes back, the learner's version is
 * saved beside the progress file first, and the exercise's progress (done, hints) starts over.
 * @module
 */
import type { Exercise } from '../catalog/index.ts';
import { fromRepo, implementationPath, Source } from '../paths.ts';
import { restoreStub } from '../pristine.ts';
import { backupFolder, loadProgress, saveProgress } from '../progress.ts';

/** Resets one exercise and says what happened. */
export function resetExercise(exercise: Exercise): void {
  const path = implementationPath(exercise, Source.Exercises);
  const outcome = restoreStub(path, backupFolder());
  const progress = loadProgress();
  delete progress.exercises[exercise.id];
  saveProgress(progress);
  console.log(`${path} is the original stub again (from ${outcome.ref}); its progress and hints start over.`);
  if (outcome.backup !== undefined) console.log(`Your version was saved as ${fromRepo(outcome.backup)}.`);
}
