/**
 * `npm run phase1 -- [--host H] [--port N] [--workers N] [--memory-mb N] …`: starts the phase 1
 * server and prints its ready line.
 * @module
 */
import { parseCommandLine } from '../../shared/runtime/cli.ts';
import { createLogger } from '../../shared/runtime/logger.ts';
import { runServer } from '../../shared/runtime/run-server.ts';
import { PHASE1_OPTIONS } from './options.ts';
import { startPhase1 } from './server.ts';

const options = parseCommandLine('npm run phase1 --', PHASE1_OPTIONS);
const log = createLogger('phase1', options['log-level']);
const mode = options.workers === 0 ? 'inline execution' : `${options.workers} workers`;
await runServer('phase1', log, () => startPhase1(options, log), `${mode}, ${options['memory-mb']} MiB`);
