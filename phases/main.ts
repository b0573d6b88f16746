/**
 * `npm start`: serves the most advanced finished phase — phase 3, the production server: both
 * protocols, stats, metrics, graceful shutdown and configuration — on 127.0.0.1:11211 (override
 * with `--host`/`--port`, memcached's own flags, `KVLAB_*` variables or `--config FILE`; `--help`
 * lists every option).
 * @module
 */
await import('./phase3/main.ts');
