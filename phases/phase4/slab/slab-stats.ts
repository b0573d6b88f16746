/**
 * The slab store's figures in memcached's names: the general counters (SharedStore's, in the same
 * header slots) with the slab totals beside them (limit_maxbytes, slab_global_page_pool,
 * slabs_moved, malloc_fails, the crawler's counts), and each class's pages, chunks, items, age and
 * eviction counters for `stats slabs` and `stats items`. Every function expects every lock of the
 * store held (a whole-store command, slab-locks.ts): the counters are summed over the threads' shards.
 * @module
 */
import { BUCKET_BYTES, BUCKET_MASK, STAT, type StatName } from '../../../shared/store/layout.ts';
import { sumCounter, zeroCounter } from './counter-shards.ts';
import type { SizeClassReport, SizeClassStats, StoreStats } from '../../../shared/store/store.ts';
import { PAGE_BYTES } from './slab-class-spec.ts';
import { CLASS_COUNTER, CLASS_COUNTER_COUNT, SLAB_COUNTER, SLAB_COUNTER_COUNT, SLAB_COUNTERS, type SlabCounterName } from './slab-layout.ts';
import type { SlabItems } from './slab-items.ts';

/** `stats reset` keeps what describes the present (memcached keeps curr_items and bytes). */
const KEPT_STATS: ReadonlySet<number> = new Set([STAT.curr_items, STAT.bytes]);
const KEPT_CLASS_COUNTERS: ReadonlySet<number> = new Set([CLASS_COUNTER.items, CLASS_COUNTER.used, CLASS_COUNTER.requested]);

/** The store's counters, with the slab figures that memcached prints among its general stats. */
export function slabStatsLocked(items: SlabItems): StoreStats {
  const { mem, allocator } = items;
  const buckets = mem.u32(BUCKET_MASK) + 1;
  const stats: Record<string, number> = {
    limit_maxbytes: allocator.pageLimit() * PAGE_BYTES,
    hash_power_level: Math.log2(buckets),
    hash_bytes: buckets * BUCKET_BYTES,
    hash_is_expanding: 0,
    slab_global_page_pool: allocator.poolCount(),
    // Pages move inline, under the store's lock: no mover is ever seen running, and nothing is
    // rescued into another chunk (what lived on a moved page is evicted and counted so).
    slab_reassign_rescues: 0,
    slab_reassign_chunk_rescues: 0,
    slab_reassign_inline_reclaim: 0,
    slab_reassign_busy_deletes: 0,
    slab_reassign_running: 0,
    lru_crawler_running: 0,
  };
  for (const name of Object.keys(STAT) as StatName[]) stats[name] = sumCounter(mem, allocator.base, STAT[name]);
  for (const name of Object.keys(SLAB_COUNTER) as SlabCounterName[]) {
    stats[name] = mem.f64(allocator.base + SLAB_COUNTERS + SLAB_COUNTER[name] * 8);
  }
  return stats as unknown as StoreStats;
}

/** Every class that owns a page or holds an item, by increasing id. */
export function sizeClassStatsLocked(items: SlabItems, now: number): SizeClassReport {
  const { allocator, lru } = items;
  const classes: SizeClassStats[] = [];
  for (let index = 0; index < allocator.classCount; index++) {
    const pages = allocator.pages(index);
    const read = (counter: number) => allocator.classCounter(index, counter);
    const used = read(CLASS_COUNTER.used);
    if (pages === 0 && used === 0) continue;
    const perPage = allocator.perPage(index);
    const tail = lru.tail(index);
    classes.push({
      id: index + 1, chunkSize: allocator.chunkSize(index), chunksPerPage: perPage, totalPages: pages,
      totalChunks: pages * perPage, usedChunks: used, freeChunks: pages * perPage - used, items: read(CLASS_COUNTER.items),
      memRequested: read(CLASS_COUNTER.requested), evicted: read(CLASS_COUNTER.evicted),
      evictedNonzero: read(CLASS_COUNTER.evicted_nonzero), evictedTime: read(CLASS_COUNTER.evicted_time),
      outOfMemory: read(CLASS_COUNTER.outofmemory), reclaimed: read(CLASS_COUNTER.reclaimed),
      expiredUnfetched: read(CLASS_COUNTER.expired_unfetched), evictedUnfetched: read(CLASS_COUNTER.evicted_unfetched),
      directReclaims: read(CLASS_COUNTER.direct_reclaims), crawlerReclaimed: read(CLASS_COUNTER.crawler_reclaimed),
      crawlerItemsChecked: read(CLASS_COUNTER.crawler_items_checked),
      age: tail === 0 ? 0 : Math.max(0, Math.floor((now - lru.linkedAt(tail)) / 1000)),
    });
  }
  return { classes, totalMalloced: allocator.pagesOwned() * PAGE_BYTES };
}

/** `stats reset`: zeroes the counters of events, keeps those of the present. */
export function resetSlabStatsLocked(items: SlabItems): void {
  const { mem, allocator } = items;
  for (const stat of Object.values(STAT)) if (!KEPT_STATS.has(stat)) zeroCounter(mem, allocator.base, stat);
  for (let counter = 0; counter < SLAB_COUNTER_COUNT; counter++) mem.setF64(allocator.base + SLAB_COUNTERS + counter * 8, 0);
  for (let index = 0; index < allocator.classCount; index++) {
    for (let counter = 0; counter < CLASS_COUNTER_COUNT; counter++) {
      if (!KEPT_CLASS_COUNTERS.has(counter)) allocator.setClassCounter(index, counter, 0);
    }
  }
}
