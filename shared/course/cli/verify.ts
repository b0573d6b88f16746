/**
 * `npm run verify`: checks exercises and records progress; with `--watch` checks again on every
 * save; with `--reset` restores a stub; with `--server phaseN` runs the capstone. See
 * VERIFY_USAGE for every form. Exits 0 when what was checked passed, 1 when it did not, 2 on a
 * command-line mistake.
 * @module
 */
import { runCapstone } from '../capstone/capstone.ts';
import { EXERCISES } from '../catalog/index.ts';
import { Source } from '../paths.ts';
import { loadProgress } from '../progress.ts';
import { resetExercise } from './reset.ts';
import { parseVerifyArgs, UsageError, VERIFY_USAGE, type VerifyRequest } from './verify-args.ts';
import { nextUnfinished, verifyExercise } from './verify-exercise.ts';
import { watchAndVerify } from './watch-loop.ts';
import { paint } from './paint.ts';

/** Checks the named exercises, or else the next unfinished ones while they pass. */
async function verify(request: VerifyRequest): Promise<boolean> {
  // The reference answers have no progress: "the next unfinished one" means all of them.
  const named = request.exercises.length > 0 || request.source !== Source.Exercises ? request.exercises : undefined;
  if (named !== undefined) {
    let ok = true;
    for (const exercise of named.length > 0 ? named : EXERCISES) ok = (await verifyExercise(exercise, request.source)) && ok;
    return ok;
  }
  let exercise = nextUnfinished(loadProgress());
  if (exercise === undefined) {
    console.log(paint('green', 'Every exercise passes. The capstones: npm run verify -- --server phase1 (to phase4).'));
    return true;
  }
  while (exercise !== undefined) {
    if (!(await verifyExercise(exercise, request.source))) return false;
    const next = nextUnfinished(loadProgress());
    if (next === undefined || next === exercise) return true;
    console.log('');
    exercise = next;
  }
  return true;
}

async function main(): Promise<number> {
  let request: VerifyRequest;
  try {
    request = parseVerifyArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm run verify: ${error.message}\n\n${VERIFY_USAGE}`);
    return 2;
  }
  if (request.help) {
    console.log(VERIFY_USAGE);
    return 0;
  }
  if (request.reset !== undefined) {
    resetExercise(request.reset);
    return 0;
  }
  if (request.server !== undefined) return (await runCapstone(request.server, request.source, request.bench)) ? 0 : 1;
  if (request.watch) return watchAndVerify(request);
  return (await verify(request)) ? 0 : 1;
}

process.exitCode = await main();
