/**
 * `npm start`: serves the most advanced finished phase on 127.0.0.1:11211 (override with
 * `--host`/`--port` and that phase's other options).
 * @module
 */
await import('./phase1/main.ts');
