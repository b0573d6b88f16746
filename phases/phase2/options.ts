/**
 * Phase 2's command-line options, validated before anything starts.
 * @module
 */
import type { OptionSpecs } from '../../shared/runtime/cli.ts';
import { DEFAULT_MAX_ITEM_SIZE } from '../../shared/protocol/limits.ts';

/** Phase 2's command-line options, as `npm run phase2 -- --help` lists them. */
export const PHASE2_OPTIONS = {
  host: { type: 'string', default: '127.0.0.1', description: 'address to listen on' },
  port: { type: 'integer', default: 11211, min: 0, max: 65535, description: 'TCP port (0 = any free port)' },
  workers: {
    type: 'integer', default: 0, min: 0, max: 64,
    description: 'worker threads fed through lock-free rings (0 = execute on the event loop, the fastest here)',
  },
  'memory-mb': { type: 'integer', default: 64, min: 1, max: 16384, description: 'memory for items, in MiB' },
  'max-item-size': {
    type: 'size', default: DEFAULT_MAX_ITEM_SIZE, min: 1024, max: 128 * 1024 * 1024,
    description: 'largest item accepted (key + value + overhead), e.g. 1m',
  },
  'max-connections': { type: 'integer', default: 1024, min: 1, max: 1_000_000, description: 'simultaneous client connections' },
  'requests-per-turn': {
    type: 'integer', default: 64, min: 1, max: 1_000_000,
    description: 'requests served per connection before yielding to the others (fairness)',
  },
  'write-high-water': {
    type: 'size', default: 1024 * 1024, min: 1024, max: 1024 * 1024 * 1024,
    description: 'unwritten reply bytes at which a connection stops being read (backpressure)',
  },
  'log-level': { type: 'string', default: 'info', description: 'fatal, error, warn, info, debug or silent' },
} as const satisfies OptionSpecs;
