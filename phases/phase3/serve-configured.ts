/**
 * The entry point of a configured phase (3, and 4 which extends its options): load the
 * configuration (flags > KVLAB_* environment > --config file > defaults; memcached's own flags
 * accepted), log it, start the server and print its ready line. SIGHUP reloads what can change
 * live and logs what changed; SIGTERM/SIGINT drain within --shutdown-timeout, a second signal forces.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { createLogger } from '../../shared/runtime/logger.ts';
import { formatAddress, runServer } from '../../shared/runtime/run-server.ts';
import { configOrExit } from './config/command-line.ts';
import { ConfigError } from './config/config-error.ts';
import type { ConfigSpec } from './config/config-spec.ts';
import type { ConfigValues, OptionTable, Phase3Options } from './config/phase3-options.ts';
import { formatReload, reloadConfig } from './config/reload.ts';
import type { Phase3Server } from './server.ts';

/** A phase served by {@link serveConfigured}: its options include phase 3's. */
export interface ConfiguredPhase<T extends OptionTable, S extends Phase3Server> {
  /** `phase3`, `phase4`: the logger's name and the ready line's. */
  readonly name: string;
  readonly spec: ConfigSpec<T>;
  /** Builds the server and listens; resolves once connections can be served. */
  start(options: ConfigValues<T>, log: Logger): Promise<S>;
  /** Applies a reload's live options beyond phase 3's (the log level, the slow-request threshold). */
  reload?(server: S, options: ConfigValues<T>): void;
  /** What the ready line says after the address, beyond the execution mode and the memory. */
  details?(server: S, options: ConfigValues<T>): readonly string[];
}

/** Runs `phase` as this process's server. */
export async function serveConfigured<T extends OptionTable, S extends Phase3Server>(phase: ConfiguredPhase<T, S>): Promise<void> {
  let config = configOrExit(`npm run ${phase.name} --`, undefined, phase.spec);
  // Every spec served here extends phase 3's table, so these options are there.
  const base = (options: ConfigValues<T>) => options as unknown as Phase3Options;
  const options = base(config.options);
  const log = createLogger(phase.name, options['log-level']);
  for (const warning of config.warnings) log.warn(warning);
  log.info({ config: config.options }, 'starting with this configuration');

  let server: S | null = null;
  process.on('SIGHUP', () => {
    try {
      const reloaded = reloadConfig(config, { env: process.env, readFile: (path) => readFileSync(path, 'utf8') });
      config = reloaded;
      const live = base(reloaded.options);
      log.level = live['log-level'];
      if (server) {
        server.setSlowMs(live['slow-ms']);
        server.setLogLevel(live['log-level']);
        phase.reload?.(server, reloaded.options);
      }
      log.info({ changed: reloaded.changed, needsRestart: reloaded.needsRestart }, formatReload(reloaded));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      log.error({ option: error.option }, `configuration not reloaded, the running one stays: ${error.message}`);
    }
  });

  const mode = options.workers === 0 ? 'event loop execution' : `${options.workers} workers via rings`;
  const details = () => {
    const parts = [mode, `${options['memory-mb']} MiB`];
    if (server) {
      if (server.metricsAddress) parts.push(`metrics on ${formatAddress(server.metricsAddress)}`);
      parts.push(...(phase.details?.(server, config.options) ?? []));
    }
    return parts.join(', ');
  };
  await runServer(phase.name, log, async () => {
    server = await phase.start(config.options, log);
    return server;
  }, details, options['shutdown-timeout'] * 1000);
}
