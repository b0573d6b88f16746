/**
 * `npm run verify -- --watch`: checks the current exercise, then again each time a file under
 * `exercises/` is saved. Once it passes, the next unfinished exercise becomes the current one
 * (unless exercises were named). Saves are debounced; a save during a run queues one more run.
 * @module
 */
import { absolutePath, Source } from '../paths.ts';
import { loadProgress } from '../progress.ts';
import { stopAllTestFiles } from '../runner/run-test-file.ts';
import { watchFolder } from '../watch.ts';
import { EXERCISES, type Exercise } from '../catalog/index.ts';
import type { VerifyRequest } from './verify-args.ts';
import { nextUnfinished, verifyExercise } from './verify-exercise.ts';
import { paint } from './paint.ts';

/** Editors save in several steps (write, rename, chmod): wait this long for the last one. */
const DEBOUNCE_MS = 150;

/** Watches until Ctrl-C; resolves with the exit code. */
export function watchAndVerify(request: VerifyRequest): Promise<number> {
  const named = request.exercises.length > 0;
  const current = (): readonly Exercise[] => {
    if (named) return request.exercises;
    // The reference answers have no progress: all of them are "current".
    if (request.source !== Source.Exercises) return EXERCISES;
    const next = nextUnfinished(loadProgress());
    return next === undefined ? [] : [next];
  };
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const run = async (): Promise<void> => {
    running = true;
    // A fresh screen for each run (clear, clear scrollback, cursor home), as test watchers do.
    if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[3J\x1b[H');
    let exercises = current();
    while (exercises.length > 0) {
      let ok = true;
      for (const exercise of exercises) ok = (await verifyExercise(exercise, request.source)) && ok;
      // A pass moves on to the next unfinished exercise at once, so it shows what comes next.
      const following = ok && !named && request.source === Source.Exercises ? current() : [];
      if (following.length === 0 || following[0] === exercises[0]) break;
      console.log('');
      exercises = following;
    }
    if (exercises.length === 0) console.log(paint('green', 'Every exercise passes. The capstones: npm run verify -- --server phase1 (to phase4).'));
    console.log(paint('dim', `\nWatching ${request.source}/ (${watcher.mode === 'events' ? 'file events' : 'polling'}): save a file to check again; Ctrl-C to stop.`));
    running = false;
    if (again) {
      again = false;
      await run();
    }
  };

  const watcher = watchFolder(absolutePath(request.source), () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) again = true;
      else void run();
    }, DEBOUNCE_MS);
  }, { poll: request.poll });

  return new Promise((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      watcher.close();
      stopAllTestFiles();
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void run();
  });
}
