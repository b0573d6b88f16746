/**
 * The store's contract: memcached's item semantics, independent of any protocol and of where the
 * items live. Phase 1 and 2 implement it over a SharedArrayBuffer ({@link "shared/store/shared-store"!SharedStore}); a later
 * phase may implement it differently. Keys are latin1 strings, so every byte 0–255 maps to exactly
 * one character and back: the text and binary protocols both hand keys over this way.
 * @module
 */

/** What a storage command asks for. `cas` stores only if the item's CAS value still matches. */
export const StoreMode = {
  Set: 'set',
  Add: 'add',
  Replace: 'replace',
  Append: 'append',
  Prepend: 'prepend',
  Cas: 'cas',
} as const;
export type StoreMode = (typeof StoreMode)[keyof typeof StoreMode];

/** The outcome of a storage command, named after memcached's text replies. */
export const StoreResult = {
  Stored: 'STORED',
  NotStored: 'NOT_STORED',
  /** `cas` found the item but its CAS value had changed. */
  Exists: 'EXISTS',
  /** `cas` (or append/prepend in the binary protocol) found no item. */
  NotFound: 'NOT_FOUND',
  /** The item is larger than the item size limit: `SERVER_ERROR object too large for cache`. */
  TooLarge: 'TOO_LARGE',
  /** No memory left even after reclaiming expired items: `SERVER_ERROR out of memory storing object`. */
  NoMemory: 'NO_MEMORY',
} as const;
export type StoreResult = (typeof StoreResult)[keyof typeof StoreResult];

/** The outcome of incr/decr. */
export const ArithResult = {
  Ok: 'OK',
  NotFound: 'NOT_FOUND',
  /** The stored value is not a number as memcached reads one (strtoull: digits, optional spaces around). */
  NonNumeric: 'NON_NUMERIC',
  NoMemory: 'NO_MEMORY',
  /** A CAS value was given and the item's had changed (binary protocol). */
  Exists: 'EXISTS',
} as const;
export type ArithResult = (typeof ArithResult)[keyof typeof ArithResult];

/** The outcome of a delete that names the CAS value it expects. */
export const DeleteResult = {
  Deleted: 'DELETED',
  NotFound: 'NOT_FOUND',
  /** The item's CAS value was not the one given: it changed since the client read it. */
  Exists: 'EXISTS',
} as const;
export type DeleteResult = (typeof DeleteResult)[keyof typeof DeleteResult];

/** An item as read from the store: a private copy the caller may keep. */
export interface Item {
  readonly key: string;
  /** The client's opaque 32-bit flags. */
  readonly flags: number;
  readonly value: Buffer;
  /**
   * A value lent in pieces ({@link ValuePins}: phase 4 lends a value stored over several data
   * chunks as one view per chunk). When present, the value is these pieces in order, and `value`
   * is empty; {@link valueLengthOf} gives the length either way.
   */
  readonly pieces?: readonly Buffer[];
  /**
   * The item's CAS value: unsigned 64-bit, as in memcached, so a bigint (a number is exact only
   * below 2^53, and a client may choose any 64-bit CAS with meta's E flag).
   */
  readonly cas: bigint;
}

/** The length of `item`'s value, whole or in pieces. */
export function valueLengthOf(item: Item): number {
  const pieces = item.pieces;
  if (pieces === undefined) return item.value.length;
  let length = 0;
  for (let i = 0; i < pieces.length; i++) length += pieces[i]!.length;
  return length;
}

/**
 * Where {@link Store.getInto} hands a hit: the get's fast path, which writes a reply straight
 * from the store's memory instead of making an {@link Item} and a copy of its value first. The
 * store calls exactly one method per hit, with its lock held, so a sink is quick, copies what it
 * needs and keeps no reference to the store's bytes.
 */
export interface HitSink {
  /**
   * A hit whose value is `source[start, start + length)`, in the store's own memory: valid only
   * during this call. The 64-bit CAS comes as its high and low 32-bit halves, so that no BigInt
   * is made for it.
   */
  hitBytes(flags: number, casHigh: number, casLow: number, source: Buffer, start: number, length: number): void;
  /** A hit handed over as an {@link Item} instead: a value lent as pinned views, or one stored in pieces. */
  hitItem(item: Item): void;
}

/** What a storage command returns: the result and, when stored, the new CAS value. */
export interface StoreOutcome {
  readonly result: StoreResult;
  /** The stored item's CAS, 0n when nothing was stored. */
  readonly cas: bigint;
}

/** What incr/decr returns: the result and, on success, the new value and CAS. */
export interface ArithOutcome {
  readonly result: ArithResult;
  readonly value: bigint;
  readonly cas: bigint;
}

/** The binary protocol's incr/decr creates a missing key with `initial` unless told not to. */
export interface ArithCreate {
  readonly initial: bigint;
  readonly exptime: number;
}

/** What meta's `ms` asks of a store beyond the classic storage commands. */
export interface StoreExtras {
  /**
   * `I` with a CAS (`cas` mode): a CAS *older* than the item's still stores the value, but marked
   * stale, keeping the old expiry and any recache win already handed out (mg then answers X).
   */
  readonly invalidate?: boolean;
  /** `E`: the stored version gets this CAS instead of the next one (0n: the next one). */
  readonly explicitCas?: bigint;
  /** `b`: the key arrived base64-encoded, so mg's `k` and `me` send it encoded. */
  readonly binaryKey?: boolean;
}

/**
 * What meta's `mg` asks beyond a read. Exptimes follow the rules of {@link Store}; when both
 * `touch` and `vivify` are given the caller has already decided which one a created item gets.
 */
export interface MetaGetRequest {
  /** `v`: copy the value (otherwise `item.value` is empty and `valueLength` gives its size). */
  readonly withValue: boolean;
  /** `u`: leave the item's fetched bit and last-access time as they were. */
  readonly noBump: boolean;
  /** `T`: the item's new exptime (also counts as a touch, like gat). */
  readonly touch?: number;
  /** `N`: on a miss, create an empty item with this exptime, and this client wins its recache. */
  readonly vivify?: number;
  /** `R`: win the recache when the item has fewer than this many seconds to live. */
  readonly recache?: number;
  /** `E`: the CAS a created item gets (0n or absent: the next one). */
  readonly explicitCas?: bigint;
}

/** What `mg` (and `ma`) learn about an item; TTLs are seconds to live, -1 for never. */
export interface MetaGetResult {
  readonly item: Item;
  /** The value's length, also when it was not copied. */
  readonly valueLength: number;
  /** The TTL before this command changed it, and after. */
  readonly ttlBefore: number;
  readonly ttl: number;
  /** `h`: whether the item had been fetched before this command. */
  readonly fetchedBefore: boolean;
  /** `l`: seconds since the item was last accessed, before this command. */
  readonly idleSeconds: number;
  /** The item was created by this command (`N`). */
  readonly created: boolean;
  /** `W`: this client won the right to recache the item. */
  readonly won: boolean;
  /** `X`: the item is stale (invalidated). */
  readonly stale: boolean;
  /** `Z`: another client already won the recache. */
  readonly tokenSent: boolean;
  /** The key was stored base64-encoded (`ms … b`). */
  readonly binaryKey: boolean;
}

/** What meta's `md` asks: delete, or with `invalidate` mark stale, optionally only on a CAS match. */
export interface MetaDeleteRequest {
  /** `C`: act only when the item's CAS is this one (0n then never matches); absent: no check. */
  readonly compareCas?: bigint;
  /** `I`: keep the item but mark it stale, with a new CAS, so the next mg wins its recache. */
  readonly invalidate: boolean;
  /** `T` with `I`: the stale item's new exptime. */
  readonly touch?: number;
  /** `E` with `I`: the new CAS (0n or absent: the next one). */
  readonly explicitCas?: bigint;
}

/** What meta's `ma` asks beyond incr/decr. */
export interface MetaArithRequest {
  readonly incr: boolean;
  readonly delta: bigint;
  /** `N` (with `J`): create a missing item; its exptime is the caller's final choice of N or T. */
  readonly create?: ArithCreate;
  /** `C`: a non-zero CAS the item must have. */
  readonly compareCas: bigint;
  /** `T`: the item's new exptime after a successful incr/decr of an existing item. */
  readonly touch?: number;
  /** `E`: the new CAS (0n or absent: the next one). */
  readonly explicitCas?: bigint;
}

/** What `ma` returns: the incr/decr outcome and, on success, the item's TTL before and after. */
export interface MetaArithOutcome extends ArithOutcome {
  readonly ttlBefore: number;
  readonly ttl: number;
  /** The item was created by this command (`N`). */
  readonly created: boolean;
}

/** What `me` reports: an item's metadata, read without changing anything. */
export interface ItemInspection {
  readonly flags: number;
  readonly cas: bigint;
  readonly valueLength: number;
  /** Seconds to live, -1 for never. */
  readonly ttl: number;
  /** Seconds since the last access. */
  readonly idleSeconds: number;
  readonly fetched: boolean;
  /** The store's size class of the item, counted from 1 as memcached's slab classes are. */
  readonly sizeClass: number;
  readonly binaryKey: boolean;
}

/** Counters memcached reports in `stats`, kept by the store because every thread updates them. */
export interface StoreStats {
  curr_items: number;
  total_items: number;
  bytes: number;
  limit_maxbytes: number;
  evictions: number;
  reclaimed: number;
  expired_unfetched: number;
  cmd_get: number;
  cmd_set: number;
  cmd_flush: number;
  cmd_touch: number;
  get_hits: number;
  get_misses: number;
  get_expired: number;
  get_flushed: number;
  delete_hits: number;
  delete_misses: number;
  incr_hits: number;
  incr_misses: number;
  decr_hits: number;
  decr_misses: number;
  cas_hits: number;
  cas_misses: number;
  cas_badval: number;
  touch_hits: number;
  touch_misses: number;
  /** Items evicted before anyone read them (0 in a store that never evicts). */
  evicted_unfetched: number;
  /** Allocations that reclaimed expired or flushed items first, on the way (memcached's direct reclaims). */
  direct_reclaims: number;
  /** log2 of the bucket count, and the bucket array's size in bytes. */
  hash_power_level: number;
  hash_bytes: number;
  /** 1 while the hash table grows; a table sized once at start reports 0. */
  hash_is_expanding: number;
}

/**
 * One size class as `stats items` and `stats slabs` report it. A class is a block size; memcached
 * numbers its slab classes from 1, and so does `id`.
 */
export interface SizeClassStats {
  readonly id: number;
  /** The block size in bytes (memcached's chunk_size). */
  readonly chunkSize: number;
  /** Blocks carved for this class so far: in use plus free. */
  readonly totalChunks: number;
  /** Blocks holding a live item (memcached's used_chunks, and `items:<id>:number`). */
  readonly usedChunks: number;
  /** Blocks on the class's free list. */
  readonly freeChunks: number;
  /** The bytes the class's items are charged (memcached's mem_requested). */
  readonly memRequested: number;
  readonly evicted: number;
  /** Evicted items that had an expiry time set. */
  readonly evictedNonzero: number;
  /** Stores that found no block of this class, even after reclaiming. */
  readonly outOfMemory: number;
  readonly reclaimed: number;
  readonly expiredUnfetched: number;
  readonly evictedUnfetched: number;
  readonly directReclaims: number;
  /** A store with pages (phase 4's slabs): chunks one page holds, and pages the class owns. */
  readonly chunksPerPage?: number;
  /** Items in the class, where it differs from usedChunks (a chunked item uses several chunks). */
  readonly items?: number;
  readonly totalPages?: number;
  /** A store with an LRU: seconds since its tail item was last bumped (memcached's age). */
  readonly age?: number;
  /** Seconds since the last evicted item had been bumped, when it was evicted. */
  readonly evictedTime?: number;
  /** What the LRU crawler checked and reclaimed in the class. */
  readonly crawlerReclaimed?: number;
  readonly crawlerItemsChecked?: number;
}

/** The memory picture behind `stats items` and `stats slabs`. */
export interface SizeClassReport {
  /** Every class that has ever had a block carved, by increasing id. */
  readonly classes: readonly SizeClassStats[];
  /** Item memory handed out to classes so far, in bytes (memcached's total_malloced). */
  readonly totalMalloced: number;
}

/** What `cache_memlimit` answers, named after memcached's replies (MEMLIMIT_TOO_SMALL, …). */
export type MemoryLimitOutcome = 'OK' | 'TOO_SMALL' | 'NOT_BYTES' | 'ADJUST_FAILED';
/** What `slabs reassign` answers, in memcached's words. */
export type ReassignOutcome = 'OK' | 'BUSY' | 'BADCLASS' | 'NOSPARE' | 'SAME';

/** memcached's memory admin commands, offered by a store with size classes in pages (phase 4's). */
export interface MemoryAdminApi {
  /** `cache_memlimit <mb>`: the memory limit, live. */
  setMemoryLimit(mb: number): MemoryLimitOutcome;
  /** `slabs reassign <src> <dst>`: moves one page between classes (0 is the global pool). */
  reassign(source: number, destination: number): ReassignOutcome;
  /** `slabs automove <0|1|2>`. */
  setAutomove(mode: 0 | 1 | 2): void;
  /** `lru_crawler crawl <ids|all>`: reclaims expired items now; false when an id is no class. */
  crawl(classIds: readonly number[] | 'all'): boolean;
}

/**
 * Zero-copy gets, for the thread that writes the replies (memcached's item refcount). Between
 * {@link ValuePins.begin} and {@link ValuePins.take}, a `get` or `getAndTouch` in this thread may
 * answer an item whose `value` is a view of the store's own memory rather than a copy: the item is
 * pinned, so an overwrite, a delete or an eviction leaves those bytes alone (the old version is
 * unlinked, and its memory freed only when the last pin goes). The caller writes the views to its
 * socket and, once the socket has sent them, gives the pins back with {@link ValuePins.release}.
 * Outside begin…take every get copies, so a caller that knows nothing of pins never holds one.
 */
export interface ValuePins {
  /** From now on, in this thread, values at least `fromBytes` long may be lent as pinned views. */
  begin(fromBytes: number): void;
  /** Stops lending; returns the pins taken since {@link ValuePins.begin}, or null when there were none. */
  take(): PinList | null;
  /** Gives back pins from {@link ValuePins.take}, once nothing reads their views any more. */
  release(pins: PinList): void;
}

/** Pins handed out by a store, opaque to the caller (for the slab store: item offsets and their hashes). */
export type PinList = readonly number[];

/**
 * memcached's item semantics. `exptime` everywhere follows memcached: 0 = never; 1…2,592,000 =
 * seconds from now; larger = an absolute Unix time; negative = already expired.
 * Every method is atomic with respect to every other thread using the same store.
 */
export interface Store {
  /** The largest item accepted, in bytes (key + value + per-item overhead). */
  readonly maxItemSize: number;
  /** memcached's memory admin commands, when the store has slab classes (absent: they are ERROR). */
  readonly admin?: MemoryAdminApi;
  /** Lends values instead of copying them, when the store can (phase 4's slab store): see {@link ValuePins}. */
  readonly valuePins?: ValuePins;
  /** Reads one item; counts a get hit or miss. */
  get(key: string): Item | undefined;
  /**
   * {@link Store.get}'s fast path, where the store offers one: counts and bumps as `get` does,
   * and hands a hit to `sink` (once, under the store's lock) instead of returning a copy.
   * Returns whether the key was found.
   */
  getInto?(key: string, sink: HitSink): boolean;
  /** Reads one item and sets its exptime (`gat`); counts a touch hit or miss. */
  getAndTouch(key: string, exptime: number): Item | undefined;
  /** Sets an item's exptime without reading it. */
  touch(key: string, exptime: number): boolean;
  /**
   * set/add/replace/append/prepend/cas. For `cas`, `casUnique` must equal the item's CAS value
   * (so 0 never matches: memcached answers EXISTS). For append/prepend a non-zero `casUnique` is
   * checked the same way (the binary protocol's CAS on Append/Prepend); 0 means no check.
   */
  store(mode: StoreMode, key: string, flags: number, exptime: number, value: Uint8Array, casUnique?: bigint, extras?: StoreExtras): StoreOutcome;
  /**
   * meta's `mg`: reads one item as `request` says, creating it on a miss for `vivify`, and
   * decides the recache win (W/Z/X) atomically. Counts a get (or, with `touch`, a touch) hit or miss.
   */
  metaGet(key: string, request: MetaGetRequest): MetaGetResult | undefined;
  /** meta's `md`: deletes, or marks stale; Exists when `compareCas` does not match. */
  metaDelete(key: string, request: MetaDeleteRequest): DeleteResult;
  /** meta's `ma`: incr/decr with meta's options. */
  metaArith(key: string, request: MetaArithRequest): MetaArithOutcome;
  /** meta's `me`: an item's metadata, without counting or bumping anything. */
  inspect(key: string): ItemInspection | undefined;
  /** Removes an item. */
  delete(key: string): boolean;
  /**
   * Removes an item only if its CAS value is still `casUnique` (the binary protocol's Delete with
   * a CAS; 0 means no check). Counts a delete hit or miss like {@link delete}.
   */
  deleteIfUnchanged(key: string, casUnique: bigint): DeleteResult;
  /**
   * A storage command whose value was too large to read at all (the parser discarded it): like
   * memcached, a refused `set` drops the key's old value rather than leave it to be served as
   * current, and other modes keep it. Counts nothing, as memcached counts nothing.
   */
  refuseTooLarge(mode: StoreMode, key: string): void;
  /**
   * incr (wraps at 2^64) or decr (stops at 0) by `delta`. With `create`, a missing key is stored
   * with `create.initial` (the binary protocol's behaviour); without it a miss is NOT_FOUND.
   * A non-zero `casUnique` must match the item's CAS value, else EXISTS (binary protocol).
   */
  incrDecr(key: string, incr: boolean, delta: bigint, create?: ArithCreate, casUnique?: bigint): ArithOutcome;
  /** Invalidates every item now, or in `delaySeconds` seconds (items stored before then). */
  flushAll(delaySeconds?: number): void;
  /** A snapshot of the counters. */
  stats(): StoreStats;
  /** A snapshot of the size classes: blocks, items and their counters. */
  sizeClassStats(): SizeClassReport;
  /**
   * `stats reset`: zeroes every counter that counts events (commands, hits, total_items, reclaims),
   * as memcached does, and keeps those that describe the present (curr_items, bytes, the blocks
   * of each class).
   */
  resetStats(): void;
}
