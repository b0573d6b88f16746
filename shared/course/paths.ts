/**
 * Where the course's files live: the repository root, and the stub, test and reference answer
 * of each exercise, derived from its phase and id so no path is written twice.
 * @module
 */
import { relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (two levels above this file), with a trailing separator. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The two sets of implementations an exercise's tests can load. */
export const Source = {
  /** The learner's files, which start as stubs. */
  Exercises: 'exercises',
  /** The reference answers: each re-exports the module the phase server runs. */
  Solutions: 'solutions',
} as const;
export type Source = (typeof Source)[keyof typeof Source];

/** The fields of an exercise that place its files. */
export interface ExercisePlace {
  readonly id: string;
  readonly phase: number;
}

/** `<source>/phaseN/<id>.ts`, relative to the repository root. */
export function implementationPath(exercise: ExercisePlace, source: Source): string {
  return `${source}/phase${exercise.phase}/${exercise.id}.ts`;
}

/** `exercises/phaseN/<id>.test.ts`: the tests, next to the stub they test. */
export function testPath(exercise: ExercisePlace): string {
  return `exercises/phase${exercise.phase}/${exercise.id}.test.ts`;
}

/** An absolute path for a repository-relative one. */
export function absolutePath(repoRelative: string): string {
  return REPO_ROOT + repoRelative;
}

/** A `file:` URL for a repository-relative path. */
export function repoUrl(repoRelative: string): URL {
  return pathToFileURL(absolutePath(repoRelative));
}

/** A repository-relative path with forward slashes, for messages. */
export function fromRepo(absolute: string): string {
  return relative(REPO_ROOT, absolute).split(sep).join('/');
}
