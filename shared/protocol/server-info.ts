/**
 * What an executor may ask of the server it runs in: its version, its own statistics (process and
 * connection counters, which the store cannot know), its settings, its connections and the
 * counters that command execution bumps. Both protocols' `stats` and `version` commands read
 * through this, so executors stay free of sockets and processes.
 * @module
 */
import type { ErrorCode } from './errors.ts';

/** One statistic: memcached's name and its value. */
export type Stat = readonly [name: string, value: string | number];

/**
 * Counters kept by the server but bumped while a command executes, in memcached's names. They
 * count what memcached counts in its protocol code rather than in its item code: `cmd_meta`
 * (memcached 1.6.18 counts only `me`), a text storage command refused as too large or for want of
 * memory (the binary protocol counts neither), and authentication attempts.
 */
export type CommandCounter = 'cmd_meta' | 'store_too_large' | 'store_no_memory' | 'auth_cmds' | 'auth_errors';

/** What memcached says a connection is doing (`stats conns`, `<id>:state`). */
export type ConnectionState =
  | 'conn_listening' | 'conn_new_cmd' | 'conn_waiting' | 'conn_read' | 'conn_parse_cmd' | 'conn_write'
  | 'conn_nread' | 'conn_swallow' | 'conn_closing' | 'conn_mwrite' | 'conn_closed';

/**
 * One socket as `stats conns` reports it: listening sockets first, then client connections.
 * Addresses are written as memcached writes them: `tcp:127.0.0.1:11211`, `tcp6:[::1]:11211`.
 */
export interface ConnectionInfo {
  /**
   * Stands where memcached prints the file descriptor. Node does not expose descriptors, so a
   * server numbers its sockets itself: a number that stays the same for a socket's whole life.
   */
  readonly id: number;
  /** The peer's address, or for a listening socket its own. */
  readonly addr: string;
  /** The address the connection was accepted on; absent for a listening socket. */
  readonly listenAddr?: string;
  readonly state: ConnectionState;
  /** Seconds since the connection's last command (for a listening socket, since the server started). */
  readonly secsSinceLastCmd: number;
}

/** One prefix of `stats detail dump`: `PREFIX <prefix> get <n> hit <n> set <n> del <n>`. */
export interface PrefixRow {
  readonly prefix: string;
  readonly gets: number;
  readonly hits: number;
  readonly sets: number;
  readonly deletes: number;
}

/**
 * `stats detail`: per-prefix counts of gets, hits, sets and deletes of keys that contain the
 * prefix delimiter (memcached's `-D`, default `:`), recorded only while switched on. Every thread
 * records into, and reads, the same table.
 */
export interface DetailStats {
  /** Whether commands record their keys now (`stats detail on|off`). */
  readonly enabled: boolean;
  /** `stats detail on` / `stats detail off`. */
  setEnabled(on: boolean): void;
  /** A get, gets, gat or gats of one key (binary: the Get and GAT families). */
  recordGet(key: string, hit: boolean): void;
  /** A storage command, counted before it is tried, as memcached does. */
  recordSet(key: string): void;
  /** A delete of one key. */
  recordDelete(key: string): void;
  /** Every prefix seen since the last reset. */
  rows(): PrefixRow[];
  /** Forgets every prefix (`stats reset`). */
  clear(): void;
}

/**
 * What `refresh_certs` did: null when the TLS certificates were loaded again, otherwise the
 * catalogue's error and what follows its words (the file and the reason).
 */
export type CertRefreshFailure = { readonly code: ErrorCode; readonly detail: string } | null;

/** The server as seen from command execution. */
export interface ServerInfo {
  /** Reported by `version`, e.g. `1.6.18-kvlab-phase1`. */
  readonly version: string;
  /** Server-level statistics (pid, uptime, connections, …); the protocol puts them in memcached's order. */
  stats(): Stat[];
  /** `stats settings`: the configuration in force, in memcached's names. */
  settings(): Stat[];
  /** `verbosity <level>`. */
  setVerbosity(level: number): void;
  /** Adds one to a counter that command execution keeps (see {@link CommandCounter}). */
  count(counter: CommandCounter): void;
  /** `stats reset`: zeroes the server's counters of events (not those of the present, such as curr_connections). */
  resetStats(): void;
  /** `stats detail`. */
  readonly detail: DetailStats;
  /**
   * `stats conns`: every socket, when the server keeps a registry of them. A server without one
   * leaves this out and `stats conns` answers with no connections (just `END`).
   */
  connections?(): ConnectionInfo[];
  /** Whether the `shutdown` command is served (memcached's `-A`). */
  readonly shutdownEnabled: boolean;
  /** Starts the server's shutdown (only called when enabled); KV Lab's always drains. */
  shutdown(graceful: boolean): void;
  /**
   * `refresh_certs`: loads the TLS certificate files again. A server that cannot serve TLS at all
   * leaves this out and the command is unknown (`ERROR`), as in memcached built without TLS.
   */
  refreshCerts?(): CertRefreshFailure;
}
