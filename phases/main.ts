/**
 * `npm start`: serves the most advanced finished phase — phase 4, the advanced server: both
 * protocols, memcached's slab memory with LRU eviction, stats, metrics, a draining shutdown and
 * configuration, with TLS, authentication, rate limits and persistence when asked for — on
 * 127.0.0.1:11211 (override with `--host`/`--port`, memcached's own flags and `-o` keys,
 * `KVLAB_*` variables or `--config FILE`; `--help` lists every option).
 * @module
 */
await import('./phase4/main.ts');
