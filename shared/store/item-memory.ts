/**
 * What a store's memory must provide for memcached's commands to run on it: find, allocate, link,
 * unlink and free an item, and read or write its fields. Where items live is the implementer's
 * business — phases 1–3's arena (arena-items.ts) or phase 4's slabs with LRUs
 * (phases/phase4/slab/slab-items.ts); what a command means is decided once, over this interface,
 * in item-commands.ts and meta-ops.ts. Every `…Locked` method expects the store's lock held.
 * @module
 */
import type { StoreMemory } from './store-memory.ts';
import type { HitSink, Item } from './store.ts';

/**
 * Items by offset: an item is the byte offset of its header in {@link ItemMemory.mem} (the header
 * layout is shared/store/layout.ts's ITEM_* slots), 0 meaning none.
 */
export interface ItemMemory {
  /** The shared memory the items live in (the lock word is its LOCK slot). */
  readonly mem: StoreMemory;

  // ───────────── Finding and reading ─────────────

  /** The live item for `key` (`hash` = fnv1a(key)), or 0; a flushed or expired one is removed on the spot. */
  findLiveLocked(key: string, hash: number, now: number): number;
  /** A private copy of `item` (whose key is `key`); marks it fetched and accessed `now`. */
  readLocked(item: number, key: string, now: number): Item;
  /** The get fast path's read: marks `item` fetched like readLocked, and hands it to `sink` in place where it can. */
  handLocked(item: number, key: string, now: number, sink: HitSink): void;
  /** A private copy of `item`, its value left empty unless `withValue`; changes nothing. */
  copyLocked(item: number, key: string, withValue: boolean): Item;
  /** Whether `item`'s value may be changed in place (incr/decr); false while a store has lent it out. */
  rewritableLocked(item: number): boolean;
  /** A fetch: marks `item` fetched and accessed `now` (and, where there is one, moves it up its LRU). */
  bumpLocked(item: number, now: number): void;

  // ───────────── Fields ─────────────

  /** `item`'s bit flags (ITEM_FETCHED, ITEM_STALE, …). */
  bits(item: number): number;
  /** Replaces `item`'s item bit flags. */
  setBitsLocked(item: number, bits: number): void;
  /** When `item` was last written or fetched (ms). */
  accessedAt(item: number): number;
  /** `item`'s size class index (id − 1). */
  sizeClass(item: number): number;
  /** Whether `item`'s value is spread over several blocks (then {@link ItemMemory.valueStart} has no meaning). */
  isChunked(item: number): boolean;
  /** Byte offset of a contiguous value. */
  valueStart(item: number): number;
  /** `item`'s value length. */
  valueLength(item: number): number;
  /** `item`'s client flags. */
  flags(item: number): number;
  /** `item`'s CAS value. */
  cas(item: number): bigint;
  /** When `item` expires (ms), or NEVER. */
  expiresAt(item: number): number;
  /** Sets `item`'s expiry time (touch, gat). */
  setExpiresAtLocked(item: number, expires: number): void;

  // ───────────── Writing a new version ─────────────

  /**
   * Memory for the next version of a key, `keyLength` + `valueLength` bytes: `old`'s own block
   * when it fits the same way (rewritten in place), else fresh memory, made room for as the store's
   * policy says; 0 when none can be had. `old` is 0 for a new key.
   */
  reserveLocked(old: number, keyLength: number, valueLength: number, now: number): number;
  /** Writes `source` into the value of reserved `block` (key of `keyLength`) from value byte `at`. */
  writeValueLocked(block: number, keyLength: number, at: number, source: Uint8Array): void;
  /** Copies `old`'s whole value into the value of reserved `block` (perhaps `old` itself) from value byte `at`. */
  moveValueLocked(old: number, block: number, keyLength: number, at: number): void;
  /**
   * Finishes a new version of `key` whose value is already in `block`: writes the header, swaps
   * it in for `old` (0 if none), counts it. Its CAS is `cas` when a client chose one (meta's E),
   * else the next; its bit flags are `bits`. Returns the new CAS.
   */
  commitLocked(
    old: number, block: number, key: string, hash: number, flags: number, expires: number, length: number, now: number,
    cas?: bigint, bits?: number,
  ): bigint;
  /** Marks `item`'s value as changed in place (incr/decr): a new CAS (`cas`, or the next) and access time. */
  markRewrittenLocked(item: number, now: number, cas?: bigint): bigint;
  /** Gives `item` a new CAS: `cas` when a client chose one (meta's E flag), else the next. */
  renewCasLocked(item: number, cas?: bigint): bigint;
  /** Unlinks `item` and frees its memory. */
  removeLocked(item: number): void;

  // ───────────── flush_all and counters ─────────────

  /** flush_all now (`delaySeconds` ≤ 0) or at the time `delaySeconds` names. */
  flushLocked(delaySeconds: number, now: number): void;
  /** Lets a delayed flush that has come due take effect; every operation calls this first. */
  applyDueFlushLocked(now: number): void;
  /** Adds one to counter `stat` (an index from layout.ts's STAT). */
  count(stat: number): void;
}
