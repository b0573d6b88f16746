/**
 * The marker every exercise stub calls where the learner's code goes. It throws an ExerciseTodo,
 * which the course's reporter recognises: an unwritten part shows as "not written yet", with the
 * arguments that reached it, instead of as a crash with a stack trace.
 * @module
 */
import { inspect } from 'node:util';

/** The `code` of an {@link ExerciseTodo}; it survives the trip from a test process to the reporter. */
export const TODO_CODE = 'KVLAB_TODO';

/** Thrown by {@link todo}: this part of an exercise is not written yet. */
export class ExerciseTodo extends Error {
  override readonly name = 'ExerciseTodo';
  readonly code = TODO_CODE;
}

/** The longest an argument is shown: a 1 MiB Buffer must not flood the report. */
const MAX_SHOWN = 60;

/** Shows an argument on one short line. */
function brief(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.constructor.name} of ${value.length} bytes>`;
  const text = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 4, maxStringLength: 40 });
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/**
 * Marks the place an exercise is to be written. Pass the function's arguments: the report then
 * shows what reached the unwritten code (and the stub compiles with every parameter in use).
 * @param what - the function or step that is missing, e.g. `'expiresAt'`
 */
export function todo(what: string, ...inputs: unknown[]): never {
  const shown = inputs.length > 0 ? ` (called with ${inputs.map(brief).join(', ')})` : '';
  throw new ExerciseTodo(`TODO: ${what} is not written yet${shown}`);
}

/** True when `error` came from {@link todo}, here or (by its code) from another process. */
export function isTodo(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === TODO_CODE;
}
