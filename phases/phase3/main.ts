/**
 * `npm run phase3 -- [options]`: the phase 3 server, configured from flags, KVLAB_* variables and
 * a TOML file (`--help` lists every option). SIGHUP reloads the log level and the slow-request
 * threshold; SIGTERM/SIGINT drain within --shutdown-timeout.
 * @module
 */
import { PHASE3_CONFIG } from './config/config-spec.ts';
import { serveConfigured } from './serve-configured.ts';
import { startPhase3 } from './server.ts';

await serveConfigured({ name: 'phase3', spec: PHASE3_CONFIG, start: startPhase3 });
