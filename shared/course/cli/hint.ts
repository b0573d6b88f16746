/**
 * `npm run hint -- [<exercise>]`: reveals the next hint of an exercise (by default the next
 * unfinished one), one per call, each more explicit than the last. How many were shown is kept in
 * the progress file, so the next call goes one further; `npm run verify -- --reset` starts over.
 * @module
 */
import { findExercise, type Exercise } from '../catalog/index.ts';
import { implementationPath, Source } from '../paths.ts';
import { entryFor, loadProgress, saveProgress } from '../progress.ts';
import { nextUnfinished } from './verify-exercise.ts';
import { paint } from './paint.ts';
import { wrap } from './wrap.ts';

function main(): number {
  const [name, ...rest] = process.argv.slice(2).filter((arg) => arg !== '--');
  if (rest.length > 0 || name === '--help' || name === '-h') {
    console.log('usage: npm run hint -- [<exercise>]   (an id such as atomics-lock, or a number such as 1.4)');
    return name === '--help' || name === '-h' ? 0 : 2;
  }
  const progress = loadProgress();
  const exercise: Exercise | undefined = name === undefined ? nextUnfinished(progress) : findExercise(name);
  if (exercise === undefined) {
    console.error(name === undefined ? 'Every exercise passes: no hint needed.' : `npm run hint: there is no exercise "${name}" (npm run exercises lists them)`);
    return name === undefined ? 0 : 2;
  }
  const entry = entryFor(progress, exercise.id);
  const total = exercise.hints.length;
  const shown = Math.min(entry.hintsShown + 1, total);
  entry.hintsShown = shown;
  saveProgress(progress);
  console.log(`${paint('bold', `${exercise.number} ${exercise.id}`)} — ${exercise.title}  ${paint('dim', implementationPath(exercise, Source.Exercises))}`);
  console.log(paint('cyan', `Hint ${shown} of ${total}:`));
  for (const line of wrap(exercise.hints[shown - 1]!, 2)) console.log(line);
  if (shown < total) {
    console.log(paint('dim', `Still stuck? npm run hint -- ${exercise.id} shows the next one.`));
  } else {
    console.log(paint('dim', `That was the last hint. The reference is ${exercise.module} — the very code the server runs (solutions/phase${exercise.phase}/${exercise.id}.ts explains it).`));
  }
  return 0;
}

process.exitCode = main();
