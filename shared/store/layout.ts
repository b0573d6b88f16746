/**
 * The memory map of a {@link "shared/store/shared-store"!SharedStore}: every byte offset inside its SharedArrayBuffer, named.
 * The buffer holds, in order: a fixed header (lock, sizes, counters), the hash buckets, the arena.
 * @module
 */
import type { StoreStats } from './store.ts';

// ───────────────────────── The whole buffer ─────────────────────────
//
//   0 ┌──────────────────────────────┐
//     │ header: lock, geometry, CAS, │  HEADER_BYTES
//     │ flush state, free lists,     │
//     │ stats counters               │
//     ├──────────────────────────────┤  BUCKETS_START
//     │ buckets: one u32 per bucket, │  bucketCount × 4 bytes
//     │ the byte offset of the first │
//     │ item in the chain (0 = none) │
//     ├──────────────────────────────┤  arena start (a multiple of 8)
//     │ arena: item blocks, carved   │  memoryBytes
//     │ by the size-class allocator  │
//     └──────────────────────────────┘  arena end
//
// Every offset is a byte offset from the start of the buffer, held in a u32 slot. Offset 0 is the
// lock word, never an item, so 0 doubles as "no item" in chains and free lists.

/** `magic` slot value: the ASCII bytes "KVL1", so attach() can refuse a buffer that is not a store. */
export const STORE_MAGIC = 0x4b564c31;

// ───────────────────────── Header slots (byte offsets) ─────────────────────────

/** i32: the mutex word of {@link "shared/store/atomics-lock"!AtomicsLock} (0 free, 1 locked, 2 locked with waiters). */
export const LOCK = 0;
/** u32: {@link STORE_MAGIC}. */
export const MAGIC = 4;
/** u32: bucket count − 1; the count is a power of two, so `hash & mask` picks a bucket. */
export const BUCKET_MASK = 8;
/** u32: the largest item accepted, in bytes, as memcached charges it (see `itemTotalSize`). */
export const MAX_ITEM_SIZE = 12;
/** u32: byte offset of the arena's first byte. */
export const ARENA_START = 16;
/** u32: byte offset one past the arena's last byte. */
export const ARENA_END = 20;
/** u32: the allocator's bump pointer: the first arena byte never handed out yet. */
export const ARENA_TOP = 24;
// Bytes 28–31 are unused: they align the f64 slots below to 8 bytes, as Float64Array requires.
/** u64: the CAS value the next modification receives (starts at 1; 0 means "no CAS"). */
export const NEXT_CAS = 32;
/**
 * u32 (in an 8-byte slot): the flush epoch, incremented by every flush_all that takes effect. An
 * item written in an older epoch was stored before the last flush and is invisible. (Comparing
 * CAS values instead would break once a client may choose an item's CAS with meta's E flag.)
 * Compared with `!==`, so wrapping after 2^32 flushes is harmless unless one item goes unread
 * through all of them.
 */
export const FLUSH_EPOCH = 40;
/** f64: the time (ms) a delayed flush_all takes effect, or 0 when none is pending. */
export const FLUSH_AT = 48;
/**
 * f64: the earliest expiry time (ms) of any item, or 0 when nothing is due to expire. A failed
 * allocation sweeps the table only when something can have expired or been flushed since the
 * last sweep; without this check every store into a full arena would walk every item.
 */
export const NEXT_EXPIRY = 56;
/** u32 (in an 8-byte slot): FLUSH_EPOCH as it was at the last sweep; a different one means a flush left garbage. */
export const SWEPT_FLUSH_EPOCH = 64;

// ───────────────────────── Size classes and free lists ─────────────────────────

/** The smallest block is 2^6 = 64 bytes: the 48-byte item header plus 16 bytes of key and value. */
export const MIN_CLASS_SHIFT = 6;
/** The largest block is 2^30 = 1 GiB, the largest item size limit a store accepts. */
export const MAX_CLASS_SHIFT = 30;
/** Number of power-of-two size classes: 64 B, 128 B, … 1 GiB. */
export const CLASS_COUNT = MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1;
/** u32 × CLASS_COUNT: the first free block of each size class (0 = the list is empty). */
export const FREE_LISTS = 72;

/** Byte offset of size class `sizeClass`'s free-list head (one u32 each). */
export function freeListHead(sizeClass: number): number {
  return FREE_LISTS + sizeClass * 4;
}

// ───────────────────────── Statistics counters ─────────────────────────

/**
 * The index of each counter in the f64 array at {@link STATS}. `limit_maxbytes` and the `hash_*`
 * figures have no slot: they are the arena and bucket array sizes. The counters are plain f64s updated under the store's lock; f64 holds any
 * integer below 2^53 exactly, so they cannot wrap the way a u32 would after 4 billion gets.
 */
export const STAT = {
  curr_items: 0,
  total_items: 1,
  bytes: 2,
  evictions: 3,
  reclaimed: 4,
  expired_unfetched: 5,
  cmd_get: 6,
  cmd_set: 7,
  cmd_flush: 8,
  cmd_touch: 9,
  get_hits: 10,
  get_misses: 11,
  get_expired: 12,
  get_flushed: 13,
  delete_hits: 14,
  delete_misses: 15,
  incr_hits: 16,
  incr_misses: 17,
  decr_hits: 18,
  decr_misses: 19,
  cas_hits: 20,
  cas_misses: 21,
  cas_badval: 22,
  touch_hits: 23,
  touch_misses: 24,
  /** Always 0 here: this store never evicts (memcached's `-M`); an evicting store counts here. */
  evicted_unfetched: 25,
  /** Allocations that had to sweep expired and flushed items first (memcached's direct reclaims). */
  direct_reclaims: 26,
} as const satisfies Record<Exclude<keyof StoreStats, ComputedStat>, number>;
/** The StoreStats fields read from the geometry rather than counted. */
export type ComputedStat = 'limit_maxbytes' | 'hash_power_level' | 'hash_bytes' | 'hash_is_expanding';
/** The name of one counter. */
export type StatName = keyof typeof STAT;
/** Number of counters. */
export const STAT_COUNT = Object.keys(STAT).length;
/** f64 × STAT_COUNT: the counters (the free lists end at byte 172; 176 is the next multiple of 8). */
export const STATS = 176;

/** Byte offset of counter `stat` (one f64 each). */
export function statSlot(stat: number): number {
  return STATS + stat * 8;
}

// ───────────────────────── Per size class counters ─────────────────────────

/**
 * The index of each per-class counter: `stats items` and `stats slabs` report them for every size
 * class. f64s updated under the store's lock, like the counters above. `chunks` counts blocks ever
 * carved for the class (they never change class); `items` the blocks holding a live item, so the
 * free-list length is `chunks − items`; `requested` the bytes those items are charged.
 */
export const CLASS_STAT = {
  chunks: 0,
  items: 1,
  requested: 2,
  evicted: 3,
  evicted_nonzero: 4,
  outofmemory: 5,
  reclaimed: 6,
  expired_unfetched: 7,
  evicted_unfetched: 8,
  direct_reclaims: 9,
} as const;
/** The name of one per-class counter. */
export type ClassStatName = keyof typeof CLASS_STAT;
/** Counters per size class. */
export const CLASS_STAT_COUNT = Object.keys(CLASS_STAT).length;
/** f64 × CLASS_COUNT × CLASS_STAT_COUNT: class 0's counters, then class 1's, … */
export const CLASS_STATS = STATS + STAT_COUNT * 8;

/** Byte offset of counter `stat` of size class `sizeClass` (one f64 each). */
export function classStatSlot(sizeClass: number, stat: number): number {
  return CLASS_STATS + (sizeClass * CLASS_STAT_COUNT + stat) * 8;
}

/** Header size in bytes: the per-class counters end it. */
export const HEADER_BYTES = CLASS_STATS + CLASS_COUNT * CLASS_STAT_COUNT * 8;
/** The bucket array starts right after the header. */
export const BUCKETS_START = HEADER_BYTES;
/** Bytes per bucket slot (one u32 offset). */
export const BUCKET_BYTES = 4;

/** Byte offset of bucket `index`'s slot. */
export function bucketSlot(index: number): number {
  return BUCKETS_START + index * BUCKET_BYTES;
}

// ───────────────────────── Item header (offsets from the item's first byte) ─────────────────────────
//
//   0 next      u32   next item in the bucket chain (or next free block in a free list)
//   4 hash      u32   FNV-1a of the key: chains compare it before comparing key bytes
//   8 keyLength u16
//  10 class     u8    size class of the block (the block is 2^(6 + class) bytes)
//  11 bits      u8    ITEM_FETCHED, ITEM_STALE, ITEM_TOKEN_SENT, ITEM_KEY_BINARY
//  12 flags     u32   the client's opaque flags
//  16 length    u32   value length in bytes
//  20 epoch     u32   the flush epoch the item was written in (see FLUSH_EPOCH)
//  24 cas       u64   64 bits, as in memcached: a client may set any value (meta's E flag)
//  32 expiresAt f64   ms since the Unix epoch; 0 = never; see exptime.ts
//  40 accessed  f64   ms since the Unix epoch of the last write or fetch (memcached's it->time)
//  48 key bytes, then value bytes

/** u32: byte offset of the next item in the same bucket, or of the next free block. */
export const ITEM_NEXT = 0;
/** u32: the key's FNV-1a hash. */
export const ITEM_HASH = 4;
/** u16: key length in bytes (keys are at most 250 bytes). */
export const ITEM_KEY_LENGTH = 8;
/** u8: the block's size class index (0 = 64 bytes). */
export const ITEM_CLASS = 10;
/** u8: bit flags about the item, see {@link ITEM_FETCHED}. */
export const ITEM_BITS = 11;
/** u32: the client's flags. */
export const ITEM_FLAGS = 12;
/** u32: the value's length. */
export const ITEM_VALUE_LENGTH = 16;
/** u32: the flush epoch current when this version was written; another epoch means flushed. */
export const ITEM_EPOCH = 20;
/** u64: the item's CAS value. */
export const ITEM_CAS = 24;
/** f64: when the item expires (ms), 0 = never. */
export const ITEM_EXPIRES_AT = 32;
/**
 * f64: when the item was last written or fetched (ms), memcached's `it->time`: meta's `l` flag and
 * `me` report it, and an LRU, which phase 4 adds, ages items by it. A fetch with meta's `u` flag
 * leaves it alone.
 */
export const ITEM_ACCESSED_AT = 40;
/** The key's first byte; the value follows the key. The header is 48 bytes. */
export const ITEM_KEY = 48;

/** `bits` flag: the item was read since it was stored (memcached counts expired_unfetched by it). */
export const ITEM_FETCHED = 1;
/** `bits` flag: marked stale (meta `md … I`, or `ms … I` with an older CAS): mg answers X. */
export const ITEM_STALE = 2;
/** `bits` flag: one client has been told it won the right to recache the item (mg W); others see Z. */
export const ITEM_TOKEN_SENT = 4;
/** `bits` flag: the key was sent base64-encoded (`ms … b`), so mg's `k` and `me` send it encoded. */
export const ITEM_KEY_BINARY = 8;
