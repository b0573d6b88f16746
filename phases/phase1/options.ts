/**
 * Phase 1's command-line options: the common ones, plus the size of the worker pool.
 * @module
 */
import { availableParallelism } from 'node:os';
import type { OptionSpecs } from '../../shared/runtime/cli.ts';
import { COMMON_SERVER_OPTIONS } from '../../shared/runtime/server-options.ts';

/** Phase 1's command-line options, as `npm run phase1 -- --help` lists them. */
export const PHASE1_OPTIONS = {
  ...COMMON_SERVER_OPTIONS,
  workers: {
    type: 'integer', default: availableParallelism(), min: 0, max: 256,
    description: 'worker threads executing commands (0 = execute on the main thread)',
  },
} as const satisfies OptionSpecs;
