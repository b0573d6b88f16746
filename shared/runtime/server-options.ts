/**
 * The options every phase's server takes, defined once; a phase spreads them into its own set and
 * adds what it teaches (`--workers`, `--requests-per-turn`, …).
 * @module
 */
import type { OptionSpecs } from './cli.ts';
import type { Stat } from '../protocol/server-info.ts';
import { DEFAULT_MAX_ITEM_SIZE } from '../protocol/limits.ts';

/** host, port, memory, item size, connection limit, backpressure and log level. */
export const COMMON_SERVER_OPTIONS = {
  host: { type: 'string', default: '127.0.0.1', description: 'address to listen on' },
  port: { type: 'integer', default: 11211, min: 0, max: 65535, description: 'TCP port (0 = any free port)' },
  'memory-mb': {
    type: 'integer', default: 64, min: 1, max: 2048,
    description: 'memory for items, in MiB (at most 2048: the store addresses it with 32-bit offsets)',
  },
  'max-item-size': {
    type: 'size', default: DEFAULT_MAX_ITEM_SIZE, min: 1024, max: 128 * 1024 * 1024,
    description: 'largest item accepted (key + value + overhead), e.g. 1m',
  },
  'max-connections': { type: 'integer', default: 1024, min: 1, max: 1_000_000, description: 'simultaneous client connections' },
  'write-high-water': {
    type: 'size', default: 1024 * 1024, min: 1024, max: 1024 * 1024 * 1024,
    description: 'unwritten reply bytes at which a connection stops being read (backpressure)',
  },
  'log-level': { type: 'string', default: 'info', description: 'fatal, error, warn, info, debug or silent' },
} as const satisfies OptionSpecs;

/** The common options' values, as a phase receives them. */
export interface CommonServerOptions {
  readonly 'memory-mb': number;
  readonly 'max-item-size': number;
  readonly 'max-connections': number;
}

/** The `stats settings` lines every phase reports, before its own. */
export function commonSettings(options: CommonServerOptions, threads: number): Stat[] {
  return [
    ['maxbytes', options['memory-mb'] * 1024 * 1024],
    ['item_size_max', options['max-item-size']],
    ['num_threads', threads],
  ];
}
