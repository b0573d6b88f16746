/**
 * A {@link ServerInfo} for the phases: process facts (pid, uptime, rusage) plus the shared
 * connection and event counters, under memcached's names. Safe to build in any thread: every
 * number it reports lives in the shared counters or in the process. Which memcached keys are left
 * out, and why, is in docs/protocol.md ("Statistics").
 * @module
 */
import type { ConnectionInfo, ServerInfo, Stat } from '../protocol/server-info.ts';
import type { ServerCounters } from './server-counters.ts';
import { GuardCounters } from './guard-counters.ts';
import { certRefreshFromLoop, type TlsFacts } from './tls-facts.ts';
import { TlsCounters } from './tls-counters.ts';

/** What the server tells about itself. */
export interface ServerFacts {
  /** e.g. `1.6.18-kvlab-phase1`: memcached's version first, because clients parse it. */
  readonly version: string;
  /** Unix time in ms when the server started (the same in every thread). */
  readonly startedAtMs: number;
  readonly maxConnections: number;
  /** Threads executing commands (memcached's `threads`). */
  readonly threads: number;
  /** `stats settings` lines of this server; a name given here replaces the default below. */
  readonly settings: Stat[];
  /** The idle timeout in seconds (memcached's `-o idle_timeout`); with one, `stats` shows idle_kicks. */
  readonly idleTimeoutSeconds?: number;
  /** A connection guard's counters (a GuardCounters buffer): `stats` shows them after memcached's. */
  readonly guardStats?: SharedArrayBuffer;
  /** The connection registry behind `stats conns`; the thread that owns the sockets passes it. */
  readonly connections?: () => ConnectionInfo[];
  /** Whether `shutdown` is served (memcached's `-A`; off by default, as there). */
  readonly shutdownEnabled?: boolean;
  /** A server that can serve TLS (phase 4): its `stats` lines and `refresh_certs`. */
  readonly tls?: TlsFacts;
}

/**
 * The `libevent` stat names the event library and its version. Node's is libuv, so this says
 * libuv's version with a `-libuv` suffix, the way memcached prints `2.1.12-stable`.
 */
const EVENT_LIBRARY = `${process.versions.uv}-libuv`;

/**
 * `stats settings` values that hold for every phase, in memcached's names. Each says what the
 * server really does: the store never evicts (memcached's `-M`), its size classes are powers of two
 * (growth factor 2) and its smallest block keeps 16 bytes for key and value after the 48-byte item
 * header (chunk_size), keys hash with FNV-1a, and connections over the limit are refused at once
 * (maxconns_fast). Features that do not exist here (slab rebalancing, LRU threads, TLS, auth,
 * cachedump) say "no". tcp_backlog is Node's default listen backlog, which the listener keeps.
 */
const DEFAULT_SETTINGS: readonly Stat[] = [
  ['udpport', 0],
  ['evictions', 'off'],
  ['domain_socket', 'NULL'],
  // memcached's -a default, printed with or without a unix socket, as memcached does.
  ['umask', 700],
  ['shutdown_command', 'no'],
  ['growth_factor', '2.00'],
  ['chunk_size', 16],
  ['stat_key_prefix', ':'],
  ['cas_enabled', 'yes'],
  ['tcp_backlog', 511],
  ['auth_enabled_sasl', 'no'],
  ['auth_enabled_ascii', 'no'],
  ['maxconns_fast', 'yes'],
  ['slab_reassign', 'no'],
  ['lru_crawler', 'no'],
  ['flush_enabled', 'yes'],
  ['dump_enabled', 'no'],
  ['hash_algorithm', 'fnv1a'],
  ['lru_maintainer_thread', 'no'],
  ['lru_segmented', 'no'],
  ['temp_lru', 'no'],
  ['idle_timeout', 0],
  ['track_sizes', 'no'],
  ['inline_ascii_response', 'no'],
  ['ssl_enabled', 'no'],
];

/** Builds the ServerInfo that executors see. */
export function basicServerInfo(facts: ServerFacts, counters: ServerCounters): ServerInfo {
  let verbosity = 0;
  const idleTimeout = facts.idleTimeoutSeconds ?? 0;
  const tls = facts.tls ? new TlsCounters(facts.tls.counters) : null;
  const guard = facts.guardStats === undefined ? null : new GuardCounters(facts.guardStats);
  const info: ServerInfo = {
    version: facts.version,
    detail: counters.prefixes,
    shutdownEnabled: facts.shutdownEnabled ?? false,
    shutdown(): void {
      // The same sequence as SIGTERM — not ready, stop accepting, drain, exit 0 — from any thread:
      // a signal reaches the process whichever thread sends it.
      process.kill(process.pid, 'SIGTERM');
    },
    stats(): Stat[] {
      const now = Date.now();
      const usage = process.resourceUsage();
      const stats: Stat[] = [
        ['pid', process.pid],
        ['uptime', Math.floor((now - facts.startedAtMs) / 1000)],
        ['time', Math.floor(now / 1000)],
        ['version', facts.version],
        ['libevent', EVENT_LIBRARY],
        ['pointer_size', 64],
        ['rusage_user', (usage.userCPUTime / 1e6).toFixed(6)],
        ['rusage_system', (usage.systemCPUTime / 1e6).toFixed(6)],
        ['max_connections', facts.maxConnections],
        ['curr_connections', counters.currConnections],
        ['total_connections', counters.totalConnections],
        ['rejected_connections', counters.rejectedConnections],
        ['cmd_meta', counters.event('cmd_meta')],
        ['store_too_large', counters.event('store_too_large')],
        ['store_no_memory', counters.event('store_no_memory')],
        ['auth_cmds', counters.event('auth_cmds')],
        ['auth_errors', counters.event('auth_errors')],
        ['bytes_read', counters.bytesRead],
        ['bytes_written', counters.bytesWritten],
        ['accepting_conns', counters.accepting ? 1 : 0],
        // Node never turns its listener off for lack of descriptors or at the limit: a connection
        // over the limit is refused (rejected_connections), so these stay 0, as in memcached with
        // maxconns_fast when it never runs out of descriptors.
        ['listen_disabled_num', 0],
        ['time_in_listen_disabled_us', 0],
        ['threads', facts.threads],
        ['conn_yields', counters.event('conn_yields')],
      ];
      // memcached shows idle_kicks only when an idle timeout is set.
      if (idleTimeout > 0) stats.push(['idle_kicks', counters.event('idle_kicks')]);
      if (guard !== null) stats.push(...guard.stats());
      if (tls !== null && facts.tls?.enabled) {
        // As memcached places them: new sessions only with the session cache on.
        if (facts.tls.sessionCache) stats.push(['ssl_new_sessions', tls.newSessions]);
        stats.push(['ssl_handshake_errors', tls.handshakeErrors]);
        stats.push(['time_since_server_cert_refresh', Math.floor((now - tls.loadedAtMs) / 1000)]);
      }
      return stats;
    },
    settings(): Stat[] {
      const own: Stat[] = [
        ['maxconns', facts.maxConnections],
        ['verbosity', verbosity],
        ['detail_enabled', counters.prefixes.enabled ? 'yes' : 'no'],
        ['idle_timeout', idleTimeout],
      ];
      const byName = new Map<string, Stat>();
      for (const stat of [...DEFAULT_SETTINGS, ...own, ...facts.settings]) byName.set(stat[0], stat);
      return [...byName.values()];
    },
    setVerbosity(level: number): void {
      verbosity = level;
    },
    count(counter): void {
      counters.count(counter);
    },
    resetStats(): void {
      counters.reset();
      tls?.reset();
      guard?.reset();
    },
  };
  if (facts.connections !== undefined) info.connections = facts.connections;
  if (facts.tls !== undefined) info.refreshCerts = certRefreshFromLoop(facts.tls);
  return info;
}
