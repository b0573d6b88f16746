/**
 * How an exercise's tests find the implementation to test. A test file
 * `exercises/phaseN/<id>.test.ts` loads `exercises/phaseN/<id>.ts` (the learner's file) by
 * default, or `solutions/phaseN/<id>.ts` (the reference) when KVLAB_COURSE_SOURCE says so: one
 * test file, written once, run against either.
 * @module
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { implementationPath, repoUrl, Source } from './paths.ts';

/** The environment variable that picks the implementation: `exercises` (default) or `solutions`. */
export const SOURCE_VARIABLE = 'KVLAB_COURSE_SOURCE';

/** The implementation this process tests, from {@link SOURCE_VARIABLE}. */
export function currentSource(): Source {
  const given = process.env[SOURCE_VARIABLE];
  if (given === undefined || given === '' || given === Source.Exercises) return Source.Exercises;
  if (given === Source.Solutions) return Source.Solutions;
  throw new Error(`${SOURCE_VARIABLE} must be "exercises" or "solutions", not "${given}"`);
}

/** The exercise a test file belongs to, read from its path: `exercises/phase2/ring-buffer.test.ts`. */
function exerciseOf(testUrl: string): { id: string; phase: number } {
  const file = fileURLToPath(testUrl);
  const phase = /^phase(\d+)$/.exec(basename(dirname(file)));
  if (!phase || !file.endsWith('.test.ts')) throw new Error(`${file} is not an exercise test (exercises/phaseN/<id>.test.ts)`);
  return { id: basename(file, '.test.ts'), phase: Number(phase[1]) };
}

/** The URL of the implementation a test file tests, e.g. to hand to a worker thread. */
export function implementationUrl(testUrl: string): URL {
  return repoUrl(implementationPath(exerciseOf(testUrl), currentSource()));
}

/**
 * Imports the implementation a test file tests. Type it with the stub's own module type:
 * `await loadExercise<typeof import('./exptime.ts')>(import.meta.url)`.
 */
export async function loadExercise<Module>(testUrl: string): Promise<Module> {
  return (await import(implementationUrl(testUrl).href)) as Module;
}
