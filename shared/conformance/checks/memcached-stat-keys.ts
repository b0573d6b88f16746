/**
 * The keys real memcached 1.6.18 (Debian's build, with extstore and TLS compiled in, default
 * options) answers to each `stats` group, captured from it, the keys KV Lab leaves out with the
 * reason for each, and those it may add with what brings each. The stats-groups check asserts a
 * target has exactly memcached's keys minus the omissions, with at most the additions; run against
 * memcached itself it proves these lists right. docs/protocol.md ("Statistics") explains the same
 * omissions and additions for readers.
 * @module
 */

/** `stats`, in memcached's order. */
export const MEMCACHED_GENERAL = [
  'pid', 'uptime', 'time', 'version', 'libevent', 'pointer_size', 'rusage_user', 'rusage_system',
  'max_connections', 'curr_connections', 'total_connections', 'rejected_connections', 'connection_structures',
  'response_obj_oom', 'response_obj_count', 'response_obj_bytes', 'read_buf_count', 'read_buf_bytes',
  'read_buf_bytes_free', 'read_buf_oom', 'reserved_fds',
  'cmd_get', 'cmd_set', 'cmd_flush', 'cmd_touch', 'cmd_meta', 'get_hits', 'get_misses', 'get_expired', 'get_flushed',
  'delete_misses', 'delete_hits', 'incr_misses', 'incr_hits', 'decr_misses', 'decr_hits',
  'cas_misses', 'cas_hits', 'cas_badval', 'touch_hits', 'touch_misses', 'store_too_large', 'store_no_memory',
  'auth_cmds', 'auth_errors', 'bytes_read', 'bytes_written', 'limit_maxbytes',
  'accepting_conns', 'listen_disabled_num', 'time_in_listen_disabled_us', 'threads', 'conn_yields',
  'hash_power_level', 'hash_bytes', 'hash_is_expanding',
  'slab_reassign_rescues', 'slab_reassign_chunk_rescues', 'slab_reassign_evictions_nomem', 'slab_reassign_inline_reclaim',
  'slab_reassign_busy_items', 'slab_reassign_busy_deletes', 'slab_reassign_running', 'slabs_moved',
  'lru_crawler_running', 'lru_crawler_starts', 'lru_maintainer_juggles', 'malloc_fails',
  'log_worker_dropped', 'log_worker_written', 'log_watcher_skipped', 'log_watcher_sent', 'log_watchers',
  'unexpected_napi_ids', 'round_robin_fallback',
  'bytes', 'curr_items', 'total_items', 'slab_global_page_pool', 'expired_unfetched', 'evicted_unfetched',
  'evicted_active', 'evictions', 'reclaimed', 'crawler_reclaimed', 'crawler_items_checked', 'lrutail_reflocked',
  'moves_to_cold', 'moves_to_warm', 'moves_within_lru', 'direct_reclaims', 'lru_bumps_dropped',
] as const;

const NO_POOLS = 'memcached\'s own buffer pools; Node allocates per connection and the GC frees';
const NO_SLAB_MOVER = 'no slab rebalancer: size classes never give memory back to each other';
const NO_LRU = 'no LRU threads, segmented LRU or crawler: items expire lazily and by sweep';
const NO_WATCH = 'no `watch` log stream';

/** `stats` keys KV Lab leaves out, with why. */
export const OMITTED_GENERAL: Readonly<Record<string, string>> = {
  connection_structures: 'Node allocates a connection object per connection; there is no table of structures to count',
  response_obj_oom: NO_POOLS, response_obj_count: NO_POOLS, response_obj_bytes: NO_POOLS,
  read_buf_count: NO_POOLS, read_buf_bytes: NO_POOLS, read_buf_bytes_free: NO_POOLS, read_buf_oom: NO_POOLS,
  reserved_fds: 'Node reserves no descriptors below the limit',
  slab_reassign_rescues: NO_SLAB_MOVER, slab_reassign_chunk_rescues: NO_SLAB_MOVER, slab_reassign_evictions_nomem: NO_SLAB_MOVER,
  slab_reassign_inline_reclaim: NO_SLAB_MOVER, slab_reassign_busy_items: NO_SLAB_MOVER, slab_reassign_busy_deletes: NO_SLAB_MOVER,
  slab_reassign_running: NO_SLAB_MOVER, slabs_moved: NO_SLAB_MOVER,
  slab_global_page_pool: 'no slab pages: the arena is carved block by block',
  lru_crawler_running: NO_LRU, lru_crawler_starts: NO_LRU, lru_maintainer_juggles: NO_LRU, evicted_active: NO_LRU,
  crawler_reclaimed: NO_LRU, crawler_items_checked: NO_LRU, moves_to_cold: NO_LRU, moves_to_warm: NO_LRU,
  moves_within_lru: NO_LRU, lru_bumps_dropped: NO_LRU,
  lrutail_reflocked: 'items are copied out under the lock, never reference-counted',
  malloc_fails: 'item memory is one arena allocated at start; a full arena is store_no_memory',
  log_worker_dropped: NO_WATCH, log_worker_written: NO_WATCH, log_watcher_skipped: NO_WATCH, log_watcher_sent: NO_WATCH,
  log_watchers: NO_WATCH,
  unexpected_napi_ids: 'no NAPI-ID thread placement', round_robin_fallback: 'no NAPI-ID thread placement',
};

const WITH_IDLE_TIMEOUT = 'memcached\'s own, printed only with -o idle_timeout (the capture above ran without)';
const WITH_TLS = 'memcached\'s own, printed only with TLS on (-Z; the capture above ran without)';
const EDGE = 'KV Lab\'s own: phase 4\'s edge, on with --rate-limit, --max-connections-per-address or a timeout';
const PERSIST = 'KV Lab\'s own: phase 4\'s --persist (the log, its fsyncs, snapshots and what the start restored)';

/**
 * `stats` keys beyond the capture above that a KV Lab target may add, each with what brings it:
 * memcached's own that only an option prints, and KV Lab's own for features memcached lacks
 * (named in memcached's style, as memcached names extstore's `extstore_*`). The check accepts them
 * from a KV Lab target, in any place; from memcached itself, started with its defaults, none.
 */
export const ADDED_GENERAL: Readonly<Record<string, string>> = {
  idle_kicks: WITH_IDLE_TIMEOUT,
  ssl_new_sessions: WITH_TLS, ssl_handshake_errors: WITH_TLS, time_since_server_cert_refresh: WITH_TLS,
  rate_limit_delays: EDGE, rate_limit_rejects: EDGE, partial_request_kicks: EDGE, rejected_address_connections: EDGE,
  persist_fsync_policy: PERSIST, persist_log_bytes: PERSIST, persist_snapshot_bytes: PERSIST, persist_records: PERSIST,
  persist_fsyncs: PERSIST, persist_fsync_p50_us: PERSIST, persist_fsync_p99_us: PERSIST, persist_fsync_max_us: PERSIST,
  persist_errors: PERSIST, persist_writes_refused: PERSIST, persist_failing: PERSIST, persist_snapshots: PERSIST,
  persist_snapshot_in_progress: PERSIST, persist_last_snapshot_time: PERSIST, persist_last_snapshot_ms: PERSIST,
  persist_restored_items: PERSIST, persist_restored_bytes: PERSIST, persist_restore_ms: PERSIST,
};

/** `stats settings`, in memcached's order. */
export const MEMCACHED_SETTINGS = [
  'maxbytes', 'maxconns', 'tcpport', 'udpport', 'inter', 'verbosity', 'oldest', 'evictions', 'domain_socket', 'umask',
  'shutdown_command', 'growth_factor', 'chunk_size', 'num_threads', 'num_threads_per_udp', 'stat_key_prefix',
  'detail_enabled', 'reqs_per_event', 'cas_enabled', 'tcp_backlog', 'binding_protocol', 'auth_enabled_sasl',
  'auth_enabled_ascii', 'item_size_max', 'maxconns_fast', 'hashpower_init', 'slab_reassign', 'slab_automove',
  'slab_automove_ratio', 'slab_automove_window', 'slab_chunk_max', 'lru_crawler', 'lru_crawler_sleep',
  'lru_crawler_tocrawl', 'tail_repair_time', 'flush_enabled', 'dump_enabled', 'hash_algorithm',
  'lru_maintainer_thread', 'lru_segmented', 'hot_lru_pct', 'warm_lru_pct', 'hot_max_factor', 'warm_max_factor',
  'temp_lru', 'temporary_ttl', 'idle_timeout', 'watcher_logbuf_size', 'worker_logbuf_size', 'read_buf_mem_limit',
  'track_sizes', 'inline_ascii_response', 'ext_item_size', 'ext_item_age', 'ext_low_ttl', 'ext_recache_rate',
  'ext_wbuf_size', 'ext_compact_under', 'ext_drop_under', 'ext_max_sleep', 'ext_max_frag', 'slab_automove_freeratio',
  'ext_drop_unread', 'ssl_enabled', 'ssl_chain_cert', 'ssl_key', 'ssl_verify_mode', 'ssl_keyformat', 'ssl_ciphers',
  'ssl_ca_cert', 'ssl_wbuf_size', 'ssl_session_cache', 'ssl_kernel_tls', 'ssl_min_version', 'num_napi_ids', 'memory_file',
] as const;

const NO_EXTSTORE = 'no extstore';
const NO_TLS_YET = 'no TLS: ssl_enabled says no, and the other ssl_* settings have nothing to describe';
const FEATURE_OFF = 'the feature is absent (its on/off setting says no), so its tuning has nothing to describe';

/** `stats settings` keys KV Lab leaves out, with why. */
export const OMITTED_SETTINGS: Readonly<Record<string, string>> = {
  oldest: 'flush_all is an epoch, not a time memcached calls oldest_live',
  num_threads_per_udp: 'no UDP (udpport 0)',
  hashpower_init: 'the bucket count follows from -m at start (hash_power_level in stats); it is not a setting',
  slab_automove: FEATURE_OFF, slab_automove_ratio: FEATURE_OFF, slab_automove_window: FEATURE_OFF,
  slab_chunk_max: 'items are never split into chunks',
  lru_crawler_sleep: FEATURE_OFF, lru_crawler_tocrawl: FEATURE_OFF, tail_repair_time: FEATURE_OFF,
  hot_lru_pct: FEATURE_OFF, warm_lru_pct: FEATURE_OFF, hot_max_factor: FEATURE_OFF, warm_max_factor: FEATURE_OFF,
  temporary_ttl: FEATURE_OFF,
  watcher_logbuf_size: 'no `watch` log stream', worker_logbuf_size: 'no `watch` log stream',
  read_buf_mem_limit: 'no read buffer pool',
  ext_item_size: NO_EXTSTORE, ext_item_age: NO_EXTSTORE, ext_low_ttl: NO_EXTSTORE, ext_recache_rate: NO_EXTSTORE,
  ext_wbuf_size: NO_EXTSTORE, ext_compact_under: NO_EXTSTORE, ext_drop_under: NO_EXTSTORE, ext_max_sleep: NO_EXTSTORE,
  ext_max_frag: NO_EXTSTORE, slab_automove_freeratio: NO_EXTSTORE, ext_drop_unread: NO_EXTSTORE,
  ssl_chain_cert: NO_TLS_YET, ssl_key: NO_TLS_YET, ssl_verify_mode: NO_TLS_YET, ssl_keyformat: NO_TLS_YET,
  ssl_ciphers: NO_TLS_YET, ssl_ca_cert: NO_TLS_YET, ssl_wbuf_size: NO_TLS_YET, ssl_session_cache: NO_TLS_YET,
  ssl_kernel_tls: NO_TLS_YET, ssl_min_version: NO_TLS_YET,
  num_napi_ids: 'no NAPI-ID thread placement',
  memory_file: 'item memory is never a file (no -e)',
};

/** The `stats settings` keys a server that can serve TLS reports, with TLS on or off. */
export const TLS_SETTINGS_KEYS: readonly string[] = Object.keys(OMITTED_SETTINGS).filter((name) => name.startsWith('ssl_'));

/**
 * Settings a server reports only when it knows them: the listening address (given by whoever
 * starts the listener), the protocols it negotiates, and per-turn fairness (phase 2 on).
 */
export const SERVER_DEPENDENT_SETTINGS: readonly string[] = ['tcpport', 'inter', 'binding_protocol', 'reqs_per_event'];

/** The fields of one class in `stats items` (`items:<id>:<field>`), in memcached's order. */
export const MEMCACHED_ITEM_FIELDS = [
  'number', 'number_hot', 'number_warm', 'number_cold', 'age_hot', 'age_warm', 'age', 'mem_requested', 'evicted',
  'evicted_nonzero', 'evicted_time', 'outofmemory', 'tailrepairs', 'reclaimed', 'expired_unfetched', 'evicted_unfetched',
  'evicted_active', 'crawler_reclaimed', 'crawler_items_checked', 'lrutail_reflocked', 'moves_to_cold', 'moves_to_warm',
  'moves_within_lru', 'direct_reclaims', 'hits_to_hot', 'hits_to_warm', 'hits_to_cold', 'hits_to_temp',
] as const;

/** `stats items` fields KV Lab leaves out, with why. */
export const OMITTED_ITEM_FIELDS: Readonly<Record<string, string>> = {
  number_hot: NO_LRU, number_warm: NO_LRU, number_cold: NO_LRU, age_hot: NO_LRU, age_warm: NO_LRU,
  age: 'no LRU tail whose age to report', evicted_time: 'the store never evicts (evictions off)',
  tailrepairs: 'items are never reference-counted', evicted_active: NO_LRU, crawler_reclaimed: NO_LRU,
  crawler_items_checked: NO_LRU, lrutail_reflocked: 'items are never reference-counted', moves_to_cold: NO_LRU,
  moves_to_warm: NO_LRU, moves_within_lru: NO_LRU, hits_to_hot: NO_LRU, hits_to_warm: NO_LRU, hits_to_cold: NO_LRU,
  hits_to_temp: NO_LRU,
};

/** The fields of one class in `stats slabs` (`<id>:<field>`), in memcached's order. */
export const MEMCACHED_SLAB_FIELDS = [
  'chunk_size', 'chunks_per_page', 'total_pages', 'total_chunks', 'used_chunks', 'free_chunks', 'free_chunks_end',
  'get_hits', 'cmd_set', 'delete_hits', 'incr_hits', 'decr_hits', 'cas_hits', 'cas_badval', 'touch_hits',
] as const;

const PER_SERVER = 'commands are counted per server, not per size class';
/** `stats slabs` fields KV Lab leaves out, with why. */
export const OMITTED_SLAB_FIELDS: Readonly<Record<string, string>> = {
  chunks_per_page: 'no slab pages: blocks are carved one at a time', total_pages: 'no slab pages: blocks are carved one at a time',
  get_hits: PER_SERVER, cmd_set: PER_SERVER, delete_hits: PER_SERVER, incr_hits: PER_SERVER, decr_hits: PER_SERVER,
  cas_hits: PER_SERVER, cas_badval: PER_SERVER, touch_hits: PER_SERVER,
};

/**
 * The keys a target with slab memory (the `slab-memory` capability: pages, an LRU per class, a
 * page mover and a crawler) reports although the lists above omit them for the other stores.
 */
export const SLAB_MEMORY_KEYS = {
  general: [
    'slab_reassign_rescues', 'slab_reassign_chunk_rescues', 'slab_reassign_evictions_nomem', 'slab_reassign_inline_reclaim',
    'slab_reassign_busy_items', 'slab_reassign_busy_deletes', 'slab_reassign_running', 'slabs_moved',
    'lru_crawler_running', 'lru_crawler_starts', 'malloc_fails', 'slab_global_page_pool', 'crawler_reclaimed', 'crawler_items_checked',
  ],
  settings: ['slab_automove', 'slab_automove_ratio', 'slab_chunk_max'],
  items: ['age', 'evicted_time', 'crawler_reclaimed', 'crawler_items_checked'],
  slabs: ['chunks_per_page', 'total_pages'],
} as const;

/** `omitted` less the keys in `reported`. */
export function omittedBut(omitted: Readonly<Record<string, string>>, reported: readonly string[]): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.entries(omitted).filter(([name]) => !reported.includes(name)));
}

/** The totals after the classes in `stats slabs`. */
export const MEMCACHED_SLAB_TOTALS = ['active_slabs', 'total_malloced'] as const;

/** One connection's fields in `stats conns` (`<fd>:<field>`); a listening socket has no listen_addr. */
export const MEMCACHED_CONN_FIELDS = ['addr', 'listen_addr', 'state', 'secs_since_last_cmd'] as const;
