/**
 * The features a server under test may offer. Every server declares its list (a phase in
 * `phases/<phase>/capabilities.ts`); a conformance test that needs a feature the target lacks is
 * skipped with the reason printed, so one suite serves servers at every stage of the course.
 * @module
 */

/** Every capability name, with what a server promises by declaring it. */
export const Capability = {
  /** memcached's classic ASCII protocol: storage, retrieval, delete, incr/decr, version, quit, flush_all. */
  Text: 'text',
  /** memcached's binary protocol (24-byte header, magic 0x80), chosen per connection by the first byte. */
  Binary: 'binary',
  /** Many commands in one write are all answered, in order. */
  Pipelining: 'pipelining',
  /** `gat` and `gats`: fetch and update the expiry time in one command. */
  Gat: 'gat',
  /** `touch`: update an item's expiry time without fetching it. */
  Touch: 'touch',
  /** `flush_all <delay>`: invalidate everything after a delay rather than now. */
  FlushDelay: 'flush-delay',
  /** `verbosity <level>`. */
  Verbosity: 'verbosity',
  /**
   * `stats` with memcached's general statistics (see {@link GENERAL_STATS}) and its groups:
   * settings, items, slabs, sizes, reset and detail, with memcached's keys minus KV Lab's
   * documented omissions (checks/memcached-stat-keys.ts), in text and, with `binary`, as Stat keys.
   */
  Stats: 'stats',
  /** `stats conns`: every socket with its address, state and idle time (needs a connection registry). */
  StatsConns: 'stats-conns',
  /** A `get`/`gets` line longer than 2048 bytes (a large multi-get), which memcached accepts. */
  LargeGetLine: 'large-get-line',
  /** memcached's meta commands: mg, ms, md, ma, mn and me with their flags (docs/protocol.md). */
  Meta: 'meta',
  /**
   * Slab memory: memcached's page and LRU figures in `stats`, `stats items` and `stats slabs`
   * (checks/memcached-stat-keys.ts, SLAB_MEMORY_KEYS), and its memory admin commands:
   * cache_memlimit, slabs reassign, slabs automove and lru_crawler.
   */
  SlabMemory: 'slab-memory',
  /**
   * A server that can serve TLS (memcached built with it): every `ssl_*` setting in
   * `stats settings` (TLS_SETTINGS_KEYS), and `refresh_certs`, which a listener without TLS
   * answers `Error TLS not enabled`.
   */
  Tls: 'tls',
  /**
   * memcached's ASCII authentication (`-Y FILE`): until a client logs in with a `set` whose data
   * block is `user password`, every command is answered `CLIENT_ERROR unauthenticated`.
   */
  AsciiAuth: 'ascii-auth',
  /** memcached's SASL authentication (`-S`) over the binary protocol, with the PLAIN mechanism. */
  Sasl: 'sasl',
} as const;

/** One capability name, e.g. `'text'`. */
export type Capability = (typeof Capability)[keyof typeof Capability];

/** All capabilities: real memcached 1.6 has every one. */
export const ALL_CAPABILITIES: readonly Capability[] = Object.values(Capability);

/**
 * The general statistics a server with the `stats` capability reports, a subset of memcached's
 * `stats` output that every phase can keep honestly (memcached itself prints about ninety).
 */
export const GENERAL_STATS = [
  'pid', 'uptime', 'time', 'version', 'curr_connections', 'total_connections',
  'cmd_get', 'cmd_set', 'get_hits', 'get_misses', 'curr_items', 'total_items', 'bytes', 'limit_maxbytes', 'threads',
] as const;

/** True when `name` is a capability name. */
export function isCapability(name: string): name is Capability {
  return (ALL_CAPABILITIES as readonly string[]).includes(name);
}

/**
 * Parses a comma-separated list such as `text,pipelining,stats`.
 * @throws Error naming the unknown entries and listing the valid ones.
 */
export function parseCapabilities(list: string): Capability[] {
  const names = list.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isCapability(name));
  if (unknown.length > 0) {
    throw new Error(`unknown capabilities: ${unknown.join(', ')} (known: ${ALL_CAPABILITIES.join(', ')})`);
  }
  return names.filter(isCapability);
}
