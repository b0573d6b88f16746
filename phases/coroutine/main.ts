/**
 * `npm run coroutine -- [--host H] [--port N] [--requests-per-turn N] …`: starts the
 * coroutine-style server and prints its ready line.
 * @module
 */
import { parseCommandLine } from '../../shared/runtime/cli.ts';
import { createLogger } from '../../shared/runtime/logger.ts';
import { runServer } from '../../shared/runtime/run-server.ts';
import { COROUTINE_OPTIONS } from './options.ts';
import { startCoroutine } from './server.ts';

const options = parseCommandLine('npm run coroutine --', COROUTINE_OPTIONS);
const log = createLogger('coroutine', options['log-level']);
await runServer('coroutine', log, () => startCoroutine(options, log), `an async loop per connection, ${options['memory-mb']} MiB`);
