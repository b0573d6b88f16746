/**
 * Phase 1's command-line options, validated before anything starts.
 * @module
 */
import { availableParallelism } from 'node:os';
import type { OptionSpecs } from '../../shared/runtime/cli.ts';
import { DEFAULT_MAX_ITEM_SIZE } from '../../shared/protocol/limits.ts';

/** Phase 1's command-line options, as `npm run phase1 -- --help` lists them. */
export const PHASE1_OPTIONS = {
  host: { type: 'string', default: '127.0.0.1', description: 'address to listen on' },
  port: { type: 'integer', default: 11211, min: 0, max: 65535, description: 'TCP port (0 = any free port)' },
  workers: {
    type: 'integer', default: availableParallelism(), min: 0, max: 256,
    description: 'worker threads executing commands (0 = execute on the main thread)',
  },
  'memory-mb': { type: 'integer', default: 64, min: 1, max: 16384, description: 'memory for items, in MiB' },
  'max-item-size': {
    type: 'size', default: DEFAULT_MAX_ITEM_SIZE, min: 1024, max: 128 * 1024 * 1024,
    description: 'largest item accepted (key + value + overhead), e.g. 1m',
  },
  'max-connections': { type: 'integer', default: 1024, min: 1, max: 1_000_000, description: 'simultaneous client connections' },
  'log-level': { type: 'string', default: 'info', description: 'fatal, error, warn, info, debug or silent' },
} as const satisfies OptionSpecs;
