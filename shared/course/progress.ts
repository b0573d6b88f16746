/**
 * The learner's progress, kept in `.kvlab-progress.json` at the repository root (ignored by git,
 * so it never ends up in a commit): which exercises passed, how many hints were shown, how many
 * runs it took. A missing file means a fresh start; an unreadable one is set aside, not lost.
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { absolutePath } from './paths.ts';

/** Where progress lives, at the repository root, unless {@link PROGRESS_VARIABLE} names another file. */
export const PROGRESS_FILE = '.kvlab-progress.json';
/** The environment variable that moves the progress file elsewhere (the course's own tests do). */
export const PROGRESS_VARIABLE = 'KVLAB_PROGRESS_FILE';

/** One exercise's progress. */
export interface ExerciseProgress {
  /** All its checks passed on the last run. */
  done: boolean;
  /** Hints revealed so far. */
  hintsShown: number;
  /** Verify runs so far. */
  runs: number;
  /** When it first passed (ISO 8601). */
  passedAt?: string;
}

/** Everything the file holds. */
export interface Progress {
  readonly version: 1;
  readonly exercises: Record<string, ExerciseProgress>;
}

/** Where `--reset` keeps the learner's version of a file: beside the progress file, ignored by git too. */
export function backupFolder(): string {
  return join(dirname(progressFile()), '.kvlab-progress-backups');
}

/** The progress file in use. */
export function progressFile(): string {
  return process.env[PROGRESS_VARIABLE] || absolutePath(PROGRESS_FILE);
}

function fresh(): Progress {
  return { version: 1, exercises: {} };
}

/**
 * Reads the progress file. A file that is not valid progress is renamed to `<file>.unreadable`
 * (and a fresh start made), so a bad edit costs nothing that cannot be looked at again.
 */
export function loadProgress(file = progressFile(), warn: (message: string) => void = (message) => process.stderr.write(message)): Progress {
  if (!existsSync(file)) return fresh();
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Progress>;
    if (parsed.version !== 1 || typeof parsed.exercises !== 'object' || parsed.exercises === null) throw new Error('not progress');
    return { version: 1, exercises: parsed.exercises };
  } catch {
    renameSync(file, `${file}.unreadable`);
    warn(`${file} could not be read; it was kept as ${file}.unreadable and progress starts afresh.\n`);
    return fresh();
  }
}

/** Writes the file whole, through a temporary file and a rename, so a crash never leaves half of it. */
export function saveProgress(progress: Progress, file = progressFile()): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temporary, file);
}

/** The entry for `id`, created on first use. */
export function entryFor(progress: Progress, id: string): ExerciseProgress {
  progress.exercises[id] ??= { done: false, hintsShown: 0, runs: 0 };
  return progress.exercises[id];
}
