/**
 * Phase 2's command-line options: the common ones, plus the threading model, fairness and
 * backpressure settings the phase teaches.
 * @module
 */
import type { OptionSpecs } from '../../shared/runtime/cli.ts';
import { COMMON_SERVER_OPTIONS } from '../../shared/runtime/server-options.ts';

/** Phase 2's command-line options, as `npm run phase2 -- --help` lists them. */
export const PHASE2_OPTIONS = {
  ...COMMON_SERVER_OPTIONS,
  workers: {
    type: 'integer', default: 0, min: 0, max: 64,
    description: 'worker threads fed through lock-free rings (0 = execute on the event loop, the fastest here)',
  },
  'requests-per-turn': {
    type: 'integer', default: 64, min: 1, max: 1_000_000,
    description: 'requests served per connection before yielding to the others (fairness)',
  },
  'write-high-water': {
    type: 'size', default: 1024 * 1024, min: 1024, max: 1024 * 1024 * 1024,
    description: 'unwritten reply bytes at which a connection stops being read (backpressure)',
  },
} as const satisfies OptionSpecs;
