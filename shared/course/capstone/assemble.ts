/**
 * Starts a phase's server assembled from the learner's files: the phase's own entry point, run
 * with the redirect hook, so every module an exercise stands in for is the learner's version —
 * in the main thread and in every worker thread. Everything else is the reference code.
 * @module
 */
import { absolutePath, type Source } from '../paths.ts';
import { startProcess, type RunningServer } from '../../testing/server-process.ts';
import { HOOKS_PATH, REDIRECTS_VARIABLE, redirectsFor } from './redirects.ts';

/** Starting a tsx-run phase takes a second or two; a learner's first attempt may take longer. */
const READY_TIMEOUT_MS = 30_000;

/** The node arguments that run `phases/phaseN/main.ts` with the redirect hook. */
export function assembledArgs(phase: number, serverArgs: readonly string[]): string[] {
  return [
    // --loader is what Node 20 hands on to worker threads; it warns that it is experimental.
    '--disable-warning=ExperimentalWarning',
    '--import', 'tsx',
    '--loader', HOOKS_PATH,
    absolutePath(`phases/phase${phase}/main.ts`),
    '--host', '127.0.0.1', '--port', '0',
    ...serverArgs,
  ];
}

/** Starts the assembled server on a free loopback port and waits for its ready line. */
export function startAssembled(phase: number, source: Source, serverArgs: readonly string[] = []): Promise<RunningServer> {
  return startProcess(`your phase${phase}`, process.execPath, assembledArgs(phase, serverArgs), {
    readyTimeoutMs: READY_TIMEOUT_MS,
    env: { ...process.env, [REDIRECTS_VARIABLE]: JSON.stringify(redirectsFor(phase, source)) },
  });
}
