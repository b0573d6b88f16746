/**
 * Errors across threads: a worker that runs exercise code posts what it caught as plain fields,
 * and the check rebuilds an Error from them and throws it. Name, code and stack survive, so a
 * `todo()` reached inside a worker is reported like one reached on the main thread.
 * @module
 */

/** An error as it travels in a postMessage. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly code?: unknown;
  readonly stack?: string;
}

/** The fields of anything thrown. */
export function errorInfo(caught: unknown): ErrorInfo {
  const error = caught as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown } | null;
  if (typeof error !== 'object' || error === null) return { name: typeof caught, message: String(caught) };
  return {
    name: typeof error.name === 'string' ? error.name : 'Error',
    message: typeof error.message === 'string' ? error.message : String(caught),
    code: error.code,
    stack: typeof error.stack === 'string' ? error.stack : undefined,
  };
}

/** An Error carrying `info`'s fields, ready to throw on this thread. */
export function revive(info: ErrorInfo): Error {
  const error = new Error(info.message);
  return Object.assign(error, { name: info.name, code: info.code, stack: info.stack ?? error.stack });
}
