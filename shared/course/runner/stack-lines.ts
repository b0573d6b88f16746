/**
 * Reads stack traces and crash output for the one thing a learner needs from them: the place in
 * *their* file (`exercises/…`, never a test or the harness), and the words of an error that stopped
 * a file from loading. Everything else — node internals, tsx, esbuild — is noise, and is dropped.
 * @module
 */
import { REPO_ROOT } from '../paths.ts';

const EXERCISES = `${REPO_ROOT}exercises/`;

/** A stack frame's location: `(/path/file.ts:12:5)` or `at /path/file.ts:12:5`. */
const FRAME = /(?:\(|at )(?:file:\/\/)?(\/[^():]+):(\d+):(\d+)\)?$/;

/** The first frame in a learner's exercise file (not a test), as `exercises/phaseN/x.ts:12:5`. */
export function whereInExercise(stack: string): string | undefined {
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const [, file = '', row, column] = match;
    if (file.startsWith(EXERCISES) && !file.endsWith('.test.ts')) return `${file.slice(REPO_ROOT.length)}:${row}:${column}`;
  }
  return undefined;
}

/** Output lines that only say where Node or a tool was when it failed. */
const NOISE = [
  /^\s+at /, /^Node\.js v/, /triggerUncaughtException/, /^\s*\^+\s*$/, /^node:internal/, /^\s*$/,
  /^\s*throw err;?$/, /^\s*\{?\s*$/, /^\s*\}\s*$/, /^\s+(code|errors|warnings|errno|syscall):/,
];

/**
 * The meaningful lines of a crash (e.g. tsx's `x.ts:3:14: ERROR: Expected ";"`, or Node's
 * `SyntaxError: … does not provide an export named …`), with repository paths made relative.
 * Undefined when nothing useful was printed.
 */
export function loadProblem(output: string): string | undefined {
  const lines = output
    .split('\n')
    .filter((line) => !NOISE.some((noise) => noise.test(line)))
    .map((line) => line.split(REPO_ROOT).join('').split('file://').join('').trimEnd());
  const unique = [...new Set(lines)].slice(0, 8);
  return unique.length > 0 ? unique.join('\n') : undefined;
}
