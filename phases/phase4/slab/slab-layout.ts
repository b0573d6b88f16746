/**
 * The memory map of a {@link "phases/phase4/slab/slab-store"!SlabStore}: every byte offset of its
 * SharedArrayBuffer, named. The buffer begins exactly like a SharedStore's — the same header slots
 * (lock, bucket mask, CAS, flush epoch, the general counters) and the same hash buckets, so the
 * hash table and the counters are the ones phase 1 teaches — and goes on with the slab region:
 *
 *   0 ┌───────────────────────────────┐
 *     │ SharedStore's header          │  shared/store/layout.ts (LOCK, BUCKET_MASK, NEXT_CAS, STAT…)
 *     ├───────────────────────────────┤  BUCKETS_START
 *     │ hash buckets (u32 each)       │
 *     ├───────────────────────────────┤  slab header (slabHeaderStart)
 *     │ limits, page pool, counters   │  SLAB_* below
 *     │ one record per class          │  CLASS_RECORD_BYTES × MAX_CLASSES
 *     │ item lock stripes             │  i32 × MAX_STRIPES (slab-locks.ts)
 *     │ pin slots                     │  PINS_PER_STRIPE per stripe (slab-pins.ts)
 *     │ counter shards                │  the general counters, once per attached thread
 *     │ page table (u32 per page)     │  the class id owning each page, 0 = none
 *     ├───────────────────────────────┤  pages start (a multiple of 64)
 *     │ 1 MiB pages, cut into chunks  │  PAGE_BYTES × page count
 *     └───────────────────────────────┘
 *
 * Every slot is read and written with a lock held (plain accesses: the lock's Atomics order them
 * between threads): an item's fields and its hash chain under its stripe, everything in the slab
 * header but the shards under the allocation lock (slab-locks.ts says which is which). Offsets are
 * byte offsets; 0 means "none" in every link.
 * @module
 */
import { STAT_COUNT } from '../../../shared/store/layout.ts';
import { MAX_CLASSES } from './slab-class-spec.ts';

/** `magic` slot value: "KVS4", so neither store attaches to the other's buffer. */
export const SLAB_STORE_MAGIC = 0x4b565334;

// ───────────────────────── Chunks ─────────────────────────
//
// Every chunk starts with a 16-byte LRU prefix and then SharedStore's 48-byte item header
// (shared/store/layout.ts), so an item — the offset of its header, chunk + 16 — is read and
// hashed exactly as in SharedStore:
//
//   chunk + 0  lruPrev  u32   previous (more recently used) item of the class's LRU, 0 = head
//   chunk + 4  lruNext  u32   next (less recently used) item, 0 = tail
//   chunk + 8  lruTime  f64   when the item was last moved to the head (ms): the bump interval
//                             and the LRU's age are counted from it, not from every access
//   chunk + 16 the item header: next, hash, keyLength, class, bits, flags, length, epoch, cas, …
//   chunk + 64 key bytes, then the value (or, for a chunked item, the link to its first data chunk)
//
// A data chunk of a chunked item (one larger than the slab chunk maximum) uses the same header
// with other meanings, named below: the next data chunk, its owner, and how many bytes it holds.

/** Bytes before the item header in every chunk. */
export const LRU_PREFIX = 16;
/** u32 (item − 16): the previous item in the class's LRU (towards the head, the most recent). */
export const LRU_PREV = -16;
/** u32 (item − 12): the next item in the class's LRU (towards the tail, the least recent). */
export const LRU_NEXT = -12;
/** f64 (item − 8): when the item was linked at the head of its LRU (ms). */
export const LRU_TIME = -8;
/** Bytes of header every chunk carries: the LRU prefix plus the item header. */
export const CHUNK_HEADER = LRU_PREFIX + 48;

/** `bits` flag: the chunk is on its class's free list (ITEM_NEXT links the list). */
export const CHUNK_FREE = 0x80;
/** `bits` flag: a data chunk of a chunked item, not an item. */
export const CHUNK_DATA = 0x40;
/** `bits` flag: an item whose value lives in data chunks (its value is over the chunk maximum). */
export const ITEM_CHUNKED = 0x20;
/** `bits` flag: the item is linked (hash table and LRU); a chunk being filled has it clear. */
export const ITEM_LINKED = 0x10;
/** The bits that describe the chunk rather than the item: a new version keeps them. */
export const CHUNK_BITS = CHUNK_FREE | CHUNK_DATA | ITEM_CHUNKED | ITEM_LINKED;

/** u32 (data chunk): the next data chunk of the same item, 0 = last. */
export const DATA_NEXT = 0;
/** u32 (data chunk): the item it belongs to. */
export const DATA_OWNER = 4;
/** u32 (data chunk): value bytes it holds. */
export const DATA_LENGTH = 16;
/** Where a data chunk's value bytes start (from the item header). */
export const DATA_BYTES = 48;

// ───────────────────────── The slab header (offsets from its start) ─────────────────────────

/** u32: the most pages the buffer can grow to (the store's largest limit: cache_memlimit may raise it up to this, not past). */
export const SLAB_PAGE_COUNT = 0;
/** u32: pages the memory limit allows now (`-m`, changed live by cache_memlimit). */
export const SLAB_PAGE_LIMIT = 4;
/** u32: pages ever cut from the buffer (the next fresh page is number SLAB_PAGES_CUT). */
export const SLAB_PAGES_CUT = 8;
/** u32: number of classes. */
export const SLAB_CLASS_COUNT = 12;
/** u32: byte offset of the first page. */
export const SLAB_PAGES_START = 16;
/** u32: head of the global page pool: pages given back by a class, linked through their first u32. */
export const SLAB_POOL_HEAD = 20;
/** u32: pages in the global pool (memcached's slab_global_page_pool). */
export const SLAB_POOL_COUNT = 24;
/** u32: 1 when a full class evicts its least recently used item (the default), 0 for `-M`. */
export const SLAB_EVICTIONS = 28;
/** u32: `slabs automove` mode: 0 off, 1 balance by age (the default), 2 on every eviction. */
export const SLAB_AUTOMOVE = 32;
/** u32: item lock stripes − 1 (a power of two minus one): a key's stripe is `hash & mask`. */
export const SLAB_STRIPE_MASK = 36;
/** u32: counter shards handed out so far, one to each thread that attached (taken with Atomics.add). */
export const SLAB_SHARDS_TAKEN = 40;
// Bytes 44–47 are unused: they align the f64 slots below to 8 bytes.
/** f64: an item is moved to the head of its LRU at most once per this many ms (memcached: 60 s). */
export const SLAB_BUMP_INTERVAL = 48;
/** f64: when automove last moved a page (ms), so mode 1 moves at most one a second. */
export const SLAB_LAST_MOVE = 56;
/** f64 × SLAB_COUNTER_COUNT: the slab counters {@link SLAB_COUNTER}. */
export const SLAB_COUNTERS = 64;

/** The slab region's own counters, reported in `stats` under memcached's names. */
export const SLAB_COUNTER = {
  slabs_moved: 0,
  slab_reassign_evictions_nomem: 1,
  slab_reassign_busy_items: 2,
  lru_crawler_starts: 3,
  crawler_reclaimed: 4,
  crawler_items_checked: 5,
  malloc_fails: 6,
} as const;
/** The name of one slab counter. */
export type SlabCounterName = keyof typeof SLAB_COUNTER;
/** Number of slab counters. */
export const SLAB_COUNTER_COUNT = Object.keys(SLAB_COUNTER).length;

/** Where the class records start. */
export const CLASS_RECORDS = SLAB_COUNTERS + SLAB_COUNTER_COUNT * 8;

// ───────────────────────── One class record (offsets from its start) ─────────────────────────

/** u32: the chunk size. */
export const CLASS_CHUNK_SIZE = 0;
/** u32: chunks per page. */
export const CLASS_PER_PAGE = 4;
/** u32: first free chunk (an item offset), 0 = none. */
export const CLASS_FREE_HEAD = 8;
/** u32: the most recently used item of the class, 0 = none. */
export const CLASS_LRU_HEAD = 12;
/** u32: the least recently used item: the next to evict. */
export const CLASS_LRU_TAIL = 16;
/** u32: pages the class owns. */
export const CLASS_PAGES = 20;
/**
 * f64: the earliest expiry time (ms) of any item of the class when it was last crawled or since
 * (0 = none due): a class whose allocation fails is crawled for expired items only when one can be.
 */
export const CLASS_NEXT_EXPIRY = 24;
/** u32: the flush epoch at the class's last crawl: another epoch means flushed items to reclaim. */
export const CLASS_CRAWLED_EPOCH = 32;
/** f64: when the class was last crawled (ms): a crawl on allocation runs at most once a second. */
export const CLASS_CRAWLED_AT = 40;
/** f64 × CLASS_COUNTER_COUNT from here: the class's counters {@link CLASS_COUNTER}. */
export const CLASS_COUNTERS = 48;

/**
 * Per-class counters: what `stats items` and `stats slabs` show. `items` counts linked items of
 * the class (for a chunked item, its header's class); `used` the chunks in use (items and data
 * chunks); `requested` the bytes the class's items are charged.
 */
export const CLASS_COUNTER = {
  items: 0,
  used: 1,
  requested: 2,
  evicted: 3,
  evicted_nonzero: 4,
  /** Seconds since the last evicted item was accessed, at its eviction (memcached's evicted_time). */
  evicted_time: 5,
  outofmemory: 6,
  reclaimed: 7,
  expired_unfetched: 8,
  evicted_unfetched: 9,
  direct_reclaims: 10,
  crawler_reclaimed: 11,
  crawler_items_checked: 12,
} as const;
/** The name of one per-class counter. */
export type ClassCounterName = keyof typeof CLASS_COUNTER;
/** Number of per-class counters. */
export const CLASS_COUNTER_COUNT = Object.keys(CLASS_COUNTER).length;
/** Bytes of one class record. */
export const CLASS_RECORD_BYTES = CLASS_COUNTERS + CLASS_COUNTER_COUNT * 8;
// ───────────────────────── Locks and counter shards ─────────────────────────

/**
 * The most item lock stripes a store has (memcached's item_locks: 2^13 by default for 4+ threads).
 * A store has min(this, its bucket count), so a stripe always covers whole buckets; with threads
 * on a few cores, 1,024 stripes make two commands meeting on one stripe rare (slab-locks.ts).
 */
export const MAX_STRIPES = 1024;
/** Where the stripes' lock words start: one i32 each. */
export const ITEM_LOCKS = CLASS_RECORDS + MAX_CLASSES * CLASS_RECORD_BYTES;

/**
 * Pins (slab-pins.ts): each stripe has this many slots, each an item (u32) and its pin count
 * (u32), changed only under the stripe's lock — the lock that already guards the item. A get that
 * finds its stripe's slots full copies its value instead of lending it.
 */
export const PINS_PER_STRIPE = 4;
/** Bytes of one pin slot: the item, then its count. */
export const PIN_SLOT_BYTES = 8;
/** Where the pin slots start: PINS_PER_STRIPE per stripe, stripe by stripe. */
export const PIN_TABLE = ITEM_LOCKS + MAX_STRIPES * 4;

/**
 * The most threads that can attach to one store: each gets its own copy of the general counters
 * (a shard), written by it alone, so counting a get needs no lock and no atomic add on a line every
 * thread writes; `stats` adds the shards up (memcached keeps per-thread stats the same way).
 * 64 loop threads, ring workers and the main thread fit.
 */
export const MAX_SHARDS = 128;
/** Bytes of one shard: SharedStore's counters (layout.ts's STAT), one f64 each. */
export const SHARD_BYTES = STAT_COUNT * 8;
/** Where the shards start. */
export const COUNTER_SHARDS = PIN_TABLE + MAX_STRIPES * PINS_PER_STRIPE * PIN_SLOT_BYTES;

/** Where the page table starts: one u32 per page, the owning class's index + 1 (0 = none). */
export const PAGE_TABLE = COUNTER_SHARDS + MAX_SHARDS * SHARD_BYTES;

/** Offset, within the slab header, of shard `shard`'s copy of the general counters. */
export function shardSlot(shard: number): number {
  return COUNTER_SHARDS + shard * SHARD_BYTES;
}

/** Offset, within the slab header, of class `index`'s field `field`. */
export function classSlot(index: number, field: number): number {
  return CLASS_RECORDS + index * CLASS_RECORD_BYTES + field;
}

/** Offset, within the slab header, of class `index`'s counter `counter`. */
export function classCounterSlot(index: number, counter: number): number {
  return classSlot(index, CLASS_COUNTERS + counter * 8);
}

/** Offset, within the slab header, of page `page`'s owner. */
export function pageSlot(page: number): number {
  return PAGE_TABLE + page * 4;
}

/** Pages start on a 64-byte boundary (a cache line), though 8 would keep every field aligned. */
export const PAGES_ALIGN = 64;
