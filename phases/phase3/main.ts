/**
 * `npm run phase3 -- [options]`: loads the configuration (flags > KVLAB_* environment > --config
 * file > defaults; memcached's own flags accepted), logs it, starts the phase 3 server and prints
 * its ready line. SIGHUP reloads what can change live (log level, slow-request threshold) and logs
 * what changed; SIGTERM/SIGINT drain within --shutdown-timeout, a second signal forces.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createLogger } from '../../shared/runtime/logger.ts';
import { formatAddress, runServer } from '../../shared/runtime/run-server.ts';
import { configOrExit } from './config/command-line.ts';
import { ConfigError } from './config/config-error.ts';
import { formatReload, reloadConfig } from './config/reload.ts';
import { startPhase3, type Phase3Server } from './server.ts';

let config = configOrExit('npm run phase3 --');
const options = config.options;
const log = createLogger('phase3', options['log-level']);
for (const warning of config.warnings) log.warn(warning);
log.info({ config: options }, 'starting with this configuration');

let server: Phase3Server | null = null;
process.on('SIGHUP', () => {
  try {
    const reloaded = reloadConfig(config, { env: process.env, readFile: (path) => readFileSync(path, 'utf8') });
    config = reloaded;
    log.level = reloaded.options['log-level'];
    server?.setSlowMs(reloaded.options['slow-ms']);
    server?.setLogLevel(reloaded.options['log-level']);
    log.info({ changed: reloaded.changed, needsRestart: reloaded.needsRestart }, formatReload(reloaded));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error({ option: error.option }, `configuration not reloaded, the running one stays: ${error.message}`);
  }
});

const mode = options.workers === 0 ? 'event loop execution' : `${options.workers} workers via rings`;
const details = () => {
  const metrics = server?.metricsAddress;
  return `${mode}, ${options['memory-mb']} MiB${metrics ? `, metrics on ${formatAddress(metrics)}` : ''}`;
};
await runServer('phase3', log, async () => {
  server = await startPhase3(options, log);
  return server;
}, details, options['shutdown-timeout'] * 1000);
