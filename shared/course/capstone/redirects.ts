/**
 * Which modules the capstone swaps: for every exercise whose module phase N's server runs, that
 * module (`exercise.module`) is replaced by the learner's file (or the reference answer). The map travels
 * to redirect-hooks.js — in the main thread and in every worker — through one environment variable.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { exercisesOfServer } from '../catalog/index.ts';
import { implementationPath, repoUrl, type Source } from '../paths.ts';

/** The environment variable redirect-hooks.js reads its map from. */
export const REDIRECTS_VARIABLE = 'KVLAB_COURSE_REDIRECTS';

/** The hook module, for `--loader`. */
export const HOOKS_PATH = fileURLToPath(new URL('./redirect-hooks.js', import.meta.url));

/** The line prefix redirect-hooks.js writes for each module it swaps. */
export const USING_PREFIX = 'kvlab-course: using ';

/** One swap: the stand-in's URL, and how the log names it. */
export interface Redirect {
  readonly url: string;
  readonly label: string;
}

/** The learner's (or reference) file for each real module that `phase`'s server runs. */
export function redirectsFor(phase: number, source: Source): Record<string, Redirect> {
  const map: Record<string, Redirect> = {};
  for (const exercise of exercisesOfServer(phase)) {
    const stand = implementationPath(exercise, source);
    map[repoUrl(exercise.module).href] = { url: repoUrl(stand).href, label: `${stand} for ${exercise.module}` };
  }
  return map;
}

/** The stand-in files a server's output says it loaded, from the hook's `using …` lines. */
export function filesInUse(output: string): string[] {
  const used = output.split('\n').filter((line) => line.startsWith(USING_PREFIX))
    .map((line) => line.slice(USING_PREFIX.length).split(' for ')[0]!);
  return [...new Set(used)];
}
