/**
 * The order in which memcached 1.6.18 prints `stats` and `stats settings`, so a server's lines
 * come out in memcached's order whichever part of the server knows them. Names a server does not
 * report are skipped; docs/protocol.md ("Statistics") says which and why.
 * @module
 */

/** `stats`: memcached's server_stats() and then its item totals, as 1.6.18 prints them. */
export const GENERAL_ORDER: readonly string[] = [
  'pid', 'uptime', 'time', 'version', 'libevent', 'pointer_size', 'rusage_user', 'rusage_system',
  'max_connections', 'curr_connections', 'total_connections', 'rejected_connections', 'connection_structures',
  'response_obj_oom', 'response_obj_count', 'response_obj_bytes', 'read_buf_count', 'read_buf_bytes',
  'read_buf_bytes_free', 'read_buf_oom', 'reserved_fds',
  'cmd_get', 'cmd_set', 'cmd_flush', 'cmd_touch', 'cmd_meta', 'get_hits', 'get_misses', 'get_expired', 'get_flushed',
  'delete_misses', 'delete_hits', 'incr_misses', 'incr_hits', 'decr_misses', 'decr_hits',
  'cas_misses', 'cas_hits', 'cas_badval', 'touch_hits', 'touch_misses', 'store_too_large', 'store_no_memory',
  'auth_cmds', 'auth_errors', 'idle_kicks', 'bytes_read', 'bytes_written', 'limit_maxbytes',
  'accepting_conns', 'listen_disabled_num', 'time_in_listen_disabled_us', 'threads', 'conn_yields',
  'hash_power_level', 'hash_bytes', 'hash_is_expanding',
  'slab_reassign_rescues', 'slab_reassign_chunk_rescues', 'slab_reassign_evictions_nomem', 'slab_reassign_inline_reclaim',
  'slab_reassign_busy_items', 'slab_reassign_busy_deletes', 'slab_reassign_running', 'slabs_moved',
  'lru_crawler_running', 'lru_crawler_starts', 'lru_maintainer_juggles', 'malloc_fails',
  'log_worker_dropped', 'log_worker_written', 'log_watcher_skipped', 'log_watcher_sent', 'log_watchers',
  'ssl_new_sessions', 'ssl_handshake_errors', 'time_since_server_cert_refresh', 'unexpected_napi_ids', 'round_robin_fallback',
  'bytes', 'curr_items', 'total_items', 'slab_global_page_pool', 'expired_unfetched', 'evicted_unfetched',
  'evicted_active', 'evictions', 'reclaimed', 'crawler_reclaimed', 'crawler_items_checked', 'lrutail_reflocked',
  'moves_to_cold', 'moves_to_warm', 'moves_within_lru', 'direct_reclaims', 'lru_bumps_dropped',
];

/** `stats settings`, as 1.6.18 (built with extstore and TLS) prints it. */
export const SETTINGS_ORDER: readonly string[] = [
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
];

/**
 * `stats` in `order`: each name's value from the first source that has it. Names outside `order`
 * (a server's own additions) follow, so nothing a server reports is dropped.
 */
export function inOrder<T>(order: readonly string[], stats: Iterable<readonly [string, T]>): [string, T][] {
  const byName = new Map<string, T>();
  for (const [name, value] of stats) if (!byName.has(name)) byName.set(name, value);
  const sorted: [string, T][] = [];
  for (const name of order) {
    if (!byName.has(name)) continue;
    sorted.push([name, byName.get(name)!]);
    byName.delete(name);
  }
  for (const entry of byName) sorted.push(entry);
  return sorted;
}
