/**
 * Phase 2's command-line options: the common ones, plus the threading model and the fairness
 * setting the phase teaches (backpressure's high-water mark is common to every phase).
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
} as const satisfies OptionSpecs;
