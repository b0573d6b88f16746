/**
 * The stubs as the course ships them, read back from git: to tell an untouched exercise from one
 * the learner has started, and to reset one. The reference is `origin/HEAD` when the clone has it
 * (so a learner who commits their work still resets to the original stub), else `HEAD`.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { absolutePath, REPO_ROOT } from './paths.ts';

/** Runs git in the repository; undefined when git or the object is not there. */
function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', REPO_ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** The git reference the shipped stubs are read from: `origin/HEAD` if it exists, else `HEAD`. */
export function shippedRef(): string | undefined {
  for (const ref of ['origin/HEAD', 'HEAD']) {
    if (git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`) !== undefined) return ref;
  }
  return undefined;
}

/** The shipped content of `path` (repository-relative), or undefined without git or history. */
export function shippedContent(path: string): { content: string; ref: string } | undefined {
  const ref = shippedRef();
  if (ref === undefined) return undefined;
  const content = git('show', `${ref}:${path}`);
  return content === undefined ? undefined : { content, ref };
}

/**
 * Whether `path` is exactly as shipped. Undefined when that cannot be known (no git, or the file
 * is not in the history yet).
 */
export function isAsShipped(path: string): boolean | undefined {
  const shipped = shippedContent(path);
  if (shipped === undefined) return undefined;
  return existsSync(absolutePath(path)) && readFileSync(absolutePath(path), 'utf8') === shipped.content;
}

/** What a reset did. */
export interface ResetOutcome {
  readonly ref: string;
  /** Where the learner's version was saved, if it differed from the stub. */
  readonly backup?: string;
}

/**
 * Puts the shipped stub back at `path`, after saving the current file in `backupFolder` (named
 * with the time, and not ending in `.ts`, so no tool mistakes it for source). Throws when the
 * shipped stub cannot be read from git.
 */
export function restoreStub(path: string, backupFolder: string): ResetOutcome {
  const shipped = shippedContent(path);
  if (shipped === undefined) throw new Error(`the original ${path} could not be read from git (is this a git clone?)`);
  const target = absolutePath(path);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  // Already the stub: nothing to save, nothing to write.
  if (current === shipped.content) return { ref: shipped.ref };
  let backup: string | undefined;
  if (current !== undefined) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backup = join(backupFolder, `${path.replace(/\//g, '__')}.${stamp}`);
    mkdirSync(backupFolder, { recursive: true });
    copyFileSync(target, backup);
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, shipped.content);
  return { ref: shipped.ref, backup };
}
