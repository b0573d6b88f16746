/**
 * A {@link ServerInfo} for the phases: process facts (pid, uptime, rusage) plus the shared
 * connection counters, in the order memcached prints them. Safe to build in any thread.
 * @module
 */
import type { ServerInfo, Stat } from '../protocol/server-info.ts';
import type { ServerCounters } from './server-counters.ts';

/** What the server tells about itself. */
export interface ServerFacts {
  /** e.g. `1.6.18-kvlab-phase1`: memcached's version first, because clients parse it. */
  readonly version: string;
  /** Unix time in ms when the server started (the same in every thread). */
  readonly startedAtMs: number;
  readonly maxConnections: number;
  /** Threads executing commands (memcached's `threads`). */
  readonly threads: number;
  /** Extra `stats settings` lines. */
  readonly settings: Stat[];
}

/** Builds the ServerInfo that executors see. */
export function basicServerInfo(facts: ServerFacts, counters: ServerCounters): ServerInfo {
  let verbosity = 0;
  return {
    version: facts.version,
    stats(): Stat[] {
      const now = Date.now();
      const usage = process.resourceUsage();
      return [
        ['pid', process.pid],
        ['uptime', Math.floor((now - facts.startedAtMs) / 1000)],
        ['time', Math.floor(now / 1000)],
        ['version', facts.version],
        ['pointer_size', 64],
        ['rusage_user', (usage.userCPUTime / 1e6).toFixed(6)],
        ['rusage_system', (usage.systemCPUTime / 1e6).toFixed(6)],
        ['max_connections', facts.maxConnections],
        ['curr_connections', counters.currConnections],
        ['total_connections', counters.totalConnections],
        ['rejected_connections', counters.rejectedConnections],
        ['bytes_read', counters.bytesRead],
        ['bytes_written', counters.bytesWritten],
        ['threads', facts.threads],
      ];
    },
    settings(): Stat[] {
      return [['maxconns', facts.maxConnections], ['verbosity', verbosity], ...facts.settings];
    },
    setVerbosity(level: number): void {
      verbosity = level;
    },
  };
}
