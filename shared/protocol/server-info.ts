/**
 * What an executor may ask of the server it runs in: its version, its own statistics (process and
 * connection counters, which the store cannot know) and its settings. Both protocols' `stats` and
 * `version` commands read through this, so executors stay free of sockets and processes.
 * @module
 */

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
