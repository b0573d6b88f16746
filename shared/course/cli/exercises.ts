/**
 * `npm run exercises`: every exercise in course order with where the learner stands — done, in
 * progress (the file was edited, or checks were run), or not started — and what to run next.
 * @module
 */
import { EXERCISES, PHASE_TITLES, PHASES } from '../catalog/index.ts';
import { implementationPath, Source } from '../paths.ts';
import { isAsShipped } from '../pristine.ts';
import { loadProgress, progressFile } from '../progress.ts';
import { fromRepo } from '../paths.ts';
import { nextUnfinished, phaseDone } from './verify-exercise.ts';
import { Mark, paint } from './paint.ts';

const progress = loadProgress();
const next = nextUnfinished(progress);
const idWidth = Math.max(...EXERCISES.map((exercise) => exercise.id.length));
const titleWidth = Math.max(...EXERCISES.map((exercise) => exercise.title.length));

console.log(`KV Lab exercises ${paint('dim', `(progress in ${fromRepo(progressFile())})`)}`);
for (const phase of PHASES) {
  console.log(`\n${paint('bold', `Phase ${phase}`)} — ${PHASE_TITLES[phase] ?? ''}`);
  for (const exercise of EXERCISES.filter((candidate) => candidate.phase === phase)) {
    const entry = progress.exercises[exercise.id];
    const path = implementationPath(exercise, Source.Exercises);
    // Edited when it differs from the shipped stub; without git, having been checked will do.
    const asShipped = isAsShipped(path);
    const edited = asShipped === false || (asShipped === undefined && (entry?.runs ?? 0) > 0);
    let status: string;
    let mark: string;
    if (entry?.done) {
      [mark, status] = [Mark.pass(), paint('green', 'done')];
    } else if (edited) {
      [mark, status] = [Mark.todo(), 'in progress'];
    } else {
      [mark, status] = [' ', paint('dim', 'not started')];
    }
    const hints = entry?.hintsShown ? paint('dim', ` · ${entry.hintsShown} of ${exercise.hints.length} hints`) : '';
    const pointer = exercise === next ? paint('cyan', '▸') : ' ';
    console.log(`${pointer} ${mark} ${exercise.number} ${exercise.id.padEnd(idWidth)}  ${exercise.title.padEnd(titleWidth)}  ${status}${hints}`);
  }
  const capstone = `npm run verify -- --server phase${phase}`;
  console.log(phaseDone(progress, phase) ? `    capstone: ${capstone}` : paint('dim', `    capstone, once these pass: ${capstone}`));
}
console.log('');
if (next === undefined) {
  console.log(paint('green', 'Every exercise passes.'));
} else {
  console.log(`Next: ${paint('bold', 'npm run verify')}  (${next.number} ${next.id}, ${implementationPath(next, Source.Exercises)})`);
  console.log(paint('dim', `Stuck: npm run hint -- ${next.id}   ·   Re-check on every save: npm run verify -- --watch`));
}
