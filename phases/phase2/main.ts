/**
 * `npm run phase2 -- [--host H] [--port N] [--workers N] [--requests-per-turn N] …`: starts the
 * phase 2 server and prints its ready line.
 * @module
 */
import { parseCommandLine } from '../../shared/runtime/cli.ts';
import { createLogger } from '../../shared/runtime/logger.ts';
import { runServer } from '../../shared/runtime/run-server.ts';
import { PHASE2_OPTIONS } from './options.ts';
import { startPhase2 } from './server.ts';

const options = parseCommandLine('npm run phase2 --', PHASE2_OPTIONS);
const log = createLogger('phase2', options['log-level']);
const mode = options.workers === 0 ? 'event loop execution' : `${options.workers} workers via rings`;
await runServer('phase2', log, () => startPhase2(options, log), `${mode}, ${options['memory-mb']} MiB`);
