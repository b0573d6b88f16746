/**
 * What an executor may ask of the server it runs in: its version, its own statistics (process and
 * connection counters, which the store cannot know) and its settings. Both protocols' `stats` and
 * `version` commands read through this, so executors stay free of sockets and processes.
 * @module
 */

import type { StoreStats } from '../store/store.ts';

/** The store counters `stats` reports after the server's own, in memcached's order (both protocols). */
export const STORE_STAT_ORDER: readonly (keyof StoreStats)[] = [
  'cmd_get', 'cmd_set', 'cmd_flush', 'cmd_touch', 'get_hits', 'get_misses', 'get_expired', 'get_flushed',
  'delete_misses', 'delete_hits', 'incr_misses', 'incr_hits', 'decr_misses', 'decr_hits',
  'cas_misses', 'cas_hits', 'cas_badval', 'touch_hits', 'touch_misses', 'limit_maxbytes',
  'bytes', 'curr_items', 'total_items', 'expired_unfetched', 'evictions', 'reclaimed',
];

/** One statistic: memcached's name and its value. */
export type Stat = readonly [name: string, value: string | number];

/** The server as seen from command execution. */
export interface ServerInfo {
  /** Reported by `version`, e.g. `1.6.18-kvlab-phase1`. */
  readonly version: string;
  /** Server-level statistics, in memcached's order: pid, uptime, time, version, connections, … */
  stats(): Stat[];
  /** `stats settings`: the configuration in force. */
  settings(): Stat[];
  /** `verbosity <level>`. */
  setVerbosity(level: number): void;
}
