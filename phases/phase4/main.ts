/**
 * `npm run phase4 -- [options]`: the phase 4 server, configured like phase 3 (flags, KVLAB_*
 * variables, a TOML file, memcached's flags and its `-o` keys; `--help` lists every option).
 * SIGHUP reloads the live options; SIGTERM/SIGINT drain within --shutdown-timeout.
 * @module
 */
import { PHASE4_CONFIG } from './config/phase4-config.ts';
import { serveConfigured } from '../phase3/serve-configured.ts';
import { startPhase4 } from './server.ts';

await serveConfigured({
  name: 'phase4', spec: PHASE4_CONFIG, start: startPhase4,
  // The edge's rate limit (rate, burst, mode) is live.
  reload: (server, options) => {
    server.edge.reload(options);
    // The users files are read again (in every loop too); a file that fails to load leaves the users as they were.
    server.reloadUsers();
    // The TLS certificate files are read again; open connections keep their sessions.
    if (server.tls.serves) server.tls.refresh('SIGHUP');
  },
  // With --threads N, the ready line says how many loops accept.
  details: (server, options) => [...(options.threads > 1 ? [`${options.threads} loop threads`] : []), ...server.tls.readyDetails()],
});
