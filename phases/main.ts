/**
 * `npm start`: serves the most advanced finished phase — phase 2, the event-driven server with
 * both protocols — on 127.0.0.1:11211 (override with `--host`/`--port` and that phase's other
 * options; `--help` lists them).
 * @module
 */
await import('./phase2/main.ts');
