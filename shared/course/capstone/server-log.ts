/**
 * Reads a server's log (pino's JSON lines on stderr) for what a learner needs when their server
 * misbehaves: the first errors it logged, each with its message and the line of *their* file it
 * came from — not the whole stack, not the reference code's frames.
 * @module
 */
import { whereInExercise } from '../runner/stack-lines.ts';

/** pino's number for "error"; "fatal" is 60. */
const ERROR_LEVEL = 50;
/** pino's number for "warn": a server that keeps serving logs a part that failed at this level. */
export const WARN_LEVEL = 40;

/** One logged error, in short. */
export interface LoggedError {
  readonly message: string;
  readonly where?: string;
}

interface LogLine {
  readonly level?: number;
  readonly msg?: string;
  readonly err?: { readonly message?: string; readonly stack?: string };
  /** What a phase 1 worker reports for a command that threw (its stack as text). */
  readonly failure?: string;
}

/** Up to `limit` distinct errors (or, with `level`, lesser lines too) from the log, in the order they were logged. */
export function loggedErrors(output: string, limit = 3, level = ERROR_LEVEL): LoggedError[] {
  const seen = new Map<string, LoggedError>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: LogLine;
    try {
      entry = JSON.parse(line) as LogLine;
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < level) continue;
    const stack = entry.err?.stack ?? entry.failure ?? '';
    const detail = entry.err?.message ?? stack.split('\n')[0] ?? '';
    const message = detail ? `${entry.msg ?? 'error'}: ${detail}` : (entry.msg ?? 'error');
    if (!seen.has(message)) seen.set(message, { message, where: whereInExercise(stack) });
    if (seen.size >= limit) break;
  }
  return [...seen.values()];
}
