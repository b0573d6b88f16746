/**
 * memcached's `stats` groups, worked out once for both protocols: which group a request names,
 * what it does (reset, detail on/off) and which `name value` pairs it answers with, in memcached
 * 1.6.18's names and order. The text and binary executors only turn a {@link StatsAnswer} into
 * their own bytes. The server's figures come through {@link ServerInfo}, the store's through
 * {@link Store}; the keys left out, and why, are in docs/protocol.md ("Statistics").
 * @module
 */
import type { SizeClassStats, Store } from '../../store/store.ts';
import type { ErrorCode } from '../errors.ts';
import type { PrefixRow, ServerInfo, Stat } from '../server-info.ts';
import { GENERAL_ORDER, inOrder, SETTINGS_ORDER } from './stat-order.ts';

/** A `stats` request: the group (`''` for the general statistics) and, for `detail`, its word. */
export interface StatsRequest {
  readonly group: string;
  readonly arg?: string;
}

/** What a `stats` request answers. */
export type StatsAnswer =
  /** `STAT <name> <value>` lines, then `END` (binary: one response each, then an empty one). */
  | { readonly kind: 'stats'; readonly stats: Stat[] }
  /** A one-word reply (`RESET`, `OK`); binary: only the closing empty response. */
  | { readonly kind: 'done'; readonly word: 'RESET' | 'OK' }
  /** `stats detail dump`: PREFIX lines then END (binary: all of it as the value of one `detailed` stat). */
  | { readonly kind: 'dump'; readonly text: string }
  /** An error line (binary: "Not found"). */
  | { readonly kind: 'error'; readonly code: ErrorCode };

/** The groups memcached reads from its item and slab code, named exactly (binary keys too). */
const ENGINE_GROUPS = new Set(['items', 'slabs', 'sizes']);

/**
 * The request a binary Stat key names. memcached 1.6.18 matches `reset`, `settings` and `detail`
 * by prefix (`settingsX` is settings, `detail on` is the key's text after `detail`) and the
 * others exactly; `conns` and `cachedump` are text-only. Undefined: memcached says "Not found".
 */
export function binaryStatsRequest(key: string): StatsRequest | undefined {
  if (key === '') return { group: '' };
  if (key.startsWith('reset')) return { group: 'reset' };
  if (key.startsWith('settings')) return { group: 'settings' };
  if (key.startsWith('detail')) {
    const rest = key.slice('detail'.length);
    for (const word of ['dump', 'on', 'off']) if (rest.startsWith(` ${word}`)) return { group: 'detail', arg: word };
    return undefined;
  }
  return ENGINE_GROUPS.has(key) ? { group: key } : undefined;
}

/** Runs a `stats` request: resets and switches take effect here. */
export function answerStats(request: StatsRequest, store: Store, server: ServerInfo): StatsAnswer {
  switch (request.group) {
    case '': return { kind: 'stats', stats: generalStats(store, server) };
    case 'settings': return { kind: 'stats', stats: inOrder(SETTINGS_ORDER, server.settings()) };
    case 'items': return { kind: 'stats', stats: itemStats(store.sizeClassStats().classes) };
    case 'slabs': return { kind: 'stats', stats: slabStats(store) };
    // Size tracking (`-o track_sizes`) is not offered: this is memcached's answer without it.
    case 'sizes': return { kind: 'stats', stats: [['sizes_status', 'disabled']] };
    case 'conns': return { kind: 'stats', stats: connectionStats(server) };
    case 'reset':
      store.resetStats();
      server.resetStats();
      return { kind: 'done', word: 'RESET' };
    case 'detail': return detail(request.arg, server);
    // dump_enabled is "no" (there is no item dump), and this is memcached's answer then.
    case 'cachedump': return { kind: 'error', code: 'STATS_CACHEDUMP_NOT_ALLOWED' };
    default:
      // Unknown groups, and sizes_enable/sizes_disable, extstore and proxy, which need features
      // this server lacks: memcached built without them answers ERROR.
      return { kind: 'error', code: 'UNKNOWN_COMMAND' };
  }
}

/** The server's statistics and the store's, merged into memcached's order. */
function generalStats(store: Store, server: ServerInfo): Stat[] {
  const counters = store.stats();
  return inOrder(GENERAL_ORDER, [...server.stats(), ...(Object.entries(counters) as [string, number][])]);
}

/** `stats items`: every class holding items, `items:<id>:<field>` in memcached's field order. */
function itemStats(classes: readonly SizeClassStats[]): Stat[] {
  const stats: Stat[] = [];
  for (const c of classes) {
    const items = c.items ?? c.usedChunks;
    if (items === 0) continue;
    const item = (field: string, value: number) => stats.push([`items:${c.id}:${field}`, value]);
    // A store with an LRU (phase 4's slabs) also knows its tail's age and its crawler's counts.
    const withLru = c.age !== undefined;
    item('number', items);
    if (withLru) item('age', c.age);
    item('mem_requested', c.memRequested);
    item('evicted', c.evicted);
    item('evicted_nonzero', c.evictedNonzero);
    if (withLru) item('evicted_time', c.evictedTime ?? 0);
    item('outofmemory', c.outOfMemory);
    item('reclaimed', c.reclaimed);
    item('expired_unfetched', c.expiredUnfetched);
    item('evicted_unfetched', c.evictedUnfetched);
    if (withLru) {
      item('crawler_reclaimed', c.crawlerReclaimed ?? 0);
      item('crawler_items_checked', c.crawlerItemsChecked ?? 0);
    }
    item('direct_reclaims', c.directReclaims);
  }
  return stats;
}

/** `stats slabs`: every class with blocks, `<id>:<field>`, then the totals. */
function slabStats(store: Store): Stat[] {
  const { classes, totalMalloced } = store.sizeClassStats();
  const stats: Stat[] = [];
  for (const c of classes) {
    const slab = (field: string, value: number) => stats.push([`${c.id}:${field}`, value]);
    slab('chunk_size', c.chunkSize);
    // A store with pages (phase 4's slabs) reports them as memcached does.
    if (c.chunksPerPage !== undefined) slab('chunks_per_page', c.chunksPerPage);
    if (c.totalPages !== undefined) slab('total_pages', c.totalPages);
    slab('total_chunks', c.totalChunks);
    slab('used_chunks', c.usedChunks);
    slab('free_chunks', c.freeChunks);
    // memcached prints this dead stat as 0 too.
    slab('free_chunks_end', 0);
  }
  stats.push(['active_slabs', classes.length], ['total_malloced', totalMalloced]);
  return stats;
}

/** `stats conns`: `<id>:addr`, `<id>:listen_addr` (not for a listening socket), `<id>:state`, `<id>:secs_since_last_cmd`. */
function connectionStats(server: ServerInfo): Stat[] {
  const stats: Stat[] = [];
  for (const c of server.connections?.() ?? []) {
    stats.push([`${c.id}:addr`, c.addr]);
    if (c.listenAddr !== undefined) stats.push([`${c.id}:listen_addr`, c.listenAddr]);
    stats.push([`${c.id}:state`, c.state], [`${c.id}:secs_since_last_cmd`, c.secsSinceLastCmd]);
  }
  return stats;
}

/** `stats detail on|off|dump`. */
function detail(word: string | undefined, server: ServerInfo): StatsAnswer {
  switch (word) {
    case 'on':
    case 'off':
      server.detail.setEnabled(word === 'on');
      return { kind: 'done', word: 'OK' };
    case 'dump': return { kind: 'dump', text: prefixDump(server.detail.rows()) };
    default: return { kind: 'error', code: 'STATS_DETAIL_USAGE' };
  }
}

/** memcached's dump format: one `PREFIX` line per prefix, then `END`, each ending in CRLF. */
export function prefixDump(rows: readonly PrefixRow[]): string {
  let text = '';
  for (const row of rows) text += `PREFIX ${row.prefix} get ${row.gets} hit ${row.hits} set ${row.sets} del ${row.deletes}\r\n`;
  return `${text}END\r\n`;
}
