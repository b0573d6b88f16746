/**
 * What every store's memory does the same way (memcached's items.c): an item's header fields
 * (layout.ts's ITEM_* slots), lookup through the hash table with lazy expiry, committing a new
 * version into the table, CAS values, flush_all's epochs and the stats counters. A store's memory
 * extends {@link ItemFields} with where items live and how room is made: arena-items.ts (phases
 * 1–3) or phases/phase4/slab/slab-items.ts. Every `…Locked` method expects the store's lock held.
 * @module
 */
import { itemTotalSize } from './item-size.ts';
import { expiresAt, isExpired } from './exptime.ts';
import { HashTable } from './hash-table.ts';
import type { ItemMemory } from './item-memory.ts';
import {
  FLUSH_AT, FLUSH_EPOCH, ITEM_ACCESSED_AT, ITEM_BITS, ITEM_CAS, ITEM_CLASS, ITEM_EPOCH, ITEM_EXPIRES_AT, ITEM_FETCHED,
  ITEM_FLAGS, ITEM_HASH, ITEM_KEY, ITEM_KEY_LENGTH, ITEM_VALUE_LENGTH, NEXT_CAS, STAT, STATS,
} from './layout.ts';
import type { StoreMemory } from './store-memory.ts';
import type { HitSink, Item } from './store.ts';

/**
 * Items by offset (0 = none) in a store's {@link StoreMemory}: the part of {@link ItemMemory} that
 * does not depend on how the memory is carved. A subclass allocates, frees and places items.
 */
export abstract class ItemFields implements ItemMemory {
  /** The memory the items live in. */
  readonly mem: StoreMemory;
  /** The hash table: buckets of chains of items, in the same buffer. */
  readonly table: HashTable;
  /**
   * Where this thread adds to the counters (layout.ts's STAT order, one f64 each): the header's
   * STATS, or — in a store whose threads do not all count under one lock — this thread's own copy.
   */
  protected readonly countersAt: number;

  constructor(mem: StoreMemory, countersAt = STATS) {
    this.mem = mem;
    this.table = new HashTable(mem);
    this.countersAt = countersAt;
  }

  // ───────────── What the memory's owner provides ─────────────

  abstract bumpLocked(item: number, now: number): void;
  abstract setBitsLocked(item: number, bits: number): void;
  abstract isChunked(item: number): boolean;
  abstract setExpiresAtLocked(item: number, expires: number): void;
  abstract reserveLocked(old: number, keyLength: number, valueLength: number, now: number): number;
  abstract writeValueLocked(block: number, keyLength: number, at: number, source: Uint8Array): void;
  abstract moveValueLocked(old: number, block: number, keyLength: number, at: number): void;
  abstract removeLocked(item: number): void;
  /** Copies `item`'s whole value into `target` at `at`. */
  abstract copyValueLocked(item: number, target: Buffer, at: number): void;
  /** After {@link ItemFields.commitLocked} linked `block` (or kept it, when `reused`): the class counters, an LRU. */
  protected abstract placeLocked(block: number, reused: boolean, now: number): void;
  /** The bit flags a committed `block` gets, from the `bits` its command asked for. */
  protected abstract committedBits(block: number, bits: number): number;
  /** Adds `bytes` (negative to take away) to `bytes` and to `item`'s class's mem_requested. */
  protected abstract charge(item: number, bytes: number): void;

  // ───────────── Looking items up ─────────────

  /**
   * The live item for `key` (`hash` = fnv1a(key)), or 0. An item found flushed or expired is
   * removed on the spot (lazy expiry) and counted as memcached counts it, whatever the command.
   */
  findLiveLocked(key: string, hash: number, now: number): number {
    const item = this.table.findLocked(key, hash);
    if (item === 0) return 0;
    if (this.isFlushed(item)) {
      this.removeLocked(item);
      this.count(STAT.get_flushed);
      return 0;
    }
    if (isExpired(this.expiresAt(item), now)) {
      this.removeLocked(item);
      this.count(STAT.get_expired);
      return 0;
    }
    return item;
  }

  /** Whether `item` was stored before the last flush_all that took effect. */
  isFlushed(item: number): boolean {
    return this.mem.u32(item + ITEM_EPOCH) !== this.flushEpoch();
  }

  /**
   * The flush epoch, read atomically: in a store with more than one lock (phase 4's stripes) a
   * delayed flush comes due under a lock the reader does not hold, and the reader must still see it.
   */
  protected flushEpoch(): number {
    return Atomics.load(this.mem.i32, FLUSH_EPOCH >>> 2) >>> 0;
  }

  /** A private copy of `item` (whose key is `key`); marks it fetched and accessed `now`. */
  readLocked(item: number, key: string, now: number): Item {
    this.bumpLocked(item, now);
    return this.copyLocked(item, key, true);
  }

  /**
   * The get fast path's read ({@link "shared/store/store"!Store.getInto}): marks `item` fetched
   * as {@link ItemFields.readLocked} does, then hands `sink` its value where it lies in store
   * memory — no Item, no copy of the value, no BigInt for the CAS. A value stored in pieces goes
   * as an Item, the one shape that can carry them.
   */
  handLocked(item: number, key: string, now: number, sink: HitSink): void {
    if (this.isChunked(item)) {
      sink.hitItem(this.readLocked(item, key, now));
      return;
    }
    this.bumpLocked(item, now);
    const mem = this.mem;
    sink.hitBytes(this.flags(item), mem.u64High(item + ITEM_CAS), mem.u64Low(item + ITEM_CAS), mem.bytes, this.valueStart(item), this.valueLength(item));
  }

  /** A private copy of `item`, its value left empty unless `withValue`; changes nothing. */
  copyLocked(item: number, key: string, withValue: boolean): Item {
    const value = Buffer.allocUnsafe(withValue ? this.valueLength(item) : 0);
    if (withValue) this.copyValueLocked(item, value, 0);
    return { key, flags: this.flags(item), value, cas: this.cas(item) };
  }

  /** Whether `item`'s value may be changed in place (incr/decr): yes, unless the store lends it (phase 4's pins). */
  rewritableLocked(_item: number): boolean {
    return true;
  }

  /** Marks `item` as read (ITEM_FETCHED) and accessed `now` (for mg's `l`). */
  protected markFetchedLocked(item: number, now: number): void {
    const mem = this.mem;
    mem.setU8(item + ITEM_BITS, mem.u8(item + ITEM_BITS) | ITEM_FETCHED);
    mem.setF64(item + ITEM_ACCESSED_AT, now);
  }

  // ───────────── Fields ─────────────

  /** `item`'s bit flags (ITEM_FETCHED, ITEM_STALE, …). */
  bits(item: number): number {
    return this.mem.u8(item + ITEM_BITS);
  }

  /** When `item` was last written or fetched (ms). */
  accessedAt(item: number): number {
    return this.mem.f64(item + ITEM_ACCESSED_AT);
  }

  /** The size class index of `item`'s block (id − 1). */
  sizeClass(item: number): number {
    return this.mem.u8(item + ITEM_CLASS);
  }

  /** Byte offset of a contiguous item's value: right after its key. */
  valueStart(item: number): number {
    return item + ITEM_KEY + this.mem.u16(item + ITEM_KEY_LENGTH);
  }

  /** `item`'s value length. */
  valueLength(item: number): number {
    return this.mem.u32(item + ITEM_VALUE_LENGTH);
  }

  /** `item`'s client flags. */
  flags(item: number): number {
    return this.mem.u32(item + ITEM_FLAGS);
  }

  /** `item`'s CAS value. */
  cas(item: number): bigint {
    return this.mem.u64(item + ITEM_CAS);
  }

  /** When `item` expires (ms), or NEVER. */
  expiresAt(item: number): number {
    return this.mem.f64(item + ITEM_EXPIRES_AT);
  }

  // ───────────── Changing items ─────────────

  /**
   * Finishes a new version of `key` whose value bytes are already in `block` (from reserveLocked):
   * writes the header, swaps the block in for `old` (0 if none) in the hash table, counts it. The
   * new version gets `cas` when a client chose one (meta's E flag), else the next CAS; its bit
   * flags are `bits`. Returns the new CAS.
   */
  commitLocked(
    old: number, block: number, key: string, hash: number, flags: number, expires: number, length: number, now: number,
    cas = 0n, bits = 0,
  ): bigint {
    const mem = this.mem;
    const reused = block === old;
    if (reused) {
      this.charge(old, -this.chargedSize(old));
    } else {
      mem.setU32(block + ITEM_HASH, hash);
      mem.setU16(block + ITEM_KEY_LENGTH, key.length);
      mem.bytes.write(key, block + ITEM_KEY, 'latin1');
      if (old !== 0) this.removeLocked(old);
      this.table.linkLocked(block);
      this.add(STAT.curr_items, 1);
    }
    this.placeLocked(block, reused, now);
    if (cas === 0n) cas = this.takeCasLocked();
    mem.setU8(block + ITEM_BITS, this.committedBits(block, bits));
    mem.setU32(block + ITEM_FLAGS, flags);
    mem.setU32(block + ITEM_VALUE_LENGTH, length);
    mem.setU32(block + ITEM_EPOCH, this.flushEpoch());
    mem.setU64(block + ITEM_CAS, cas);
    mem.setF64(block + ITEM_ACCESSED_AT, now);
    this.setExpiresAtLocked(block, expires);
    this.charge(block, this.chargedSize(block));
    this.count(STAT.total_items);
    return cas;
  }

  /** Marks `item`'s value as changed in place (incr/decr): a new CAS (`cas`, or the next) and access time. */
  markRewrittenLocked(item: number, now: number, cas = 0n): bigint {
    cas = this.renewCasLocked(item, cas);
    this.mem.setF64(item + ITEM_ACCESSED_AT, now);
    return cas;
  }

  /** Gives `item` a new CAS: `cas` when a client chose one (meta's E flag), else the next. */
  renewCasLocked(item: number, cas = 0n): bigint {
    if (cas === 0n) cas = this.takeCasLocked();
    this.mem.setU64(item + ITEM_CAS, cas);
    return cas;
  }

  // ───────────── flush_all ─────────────

  /**
   * flush_all: every item stored so far becomes invisible now (`delaySeconds` ≤ 0), or at the time
   * `delaySeconds` names (memcached exptime rules). Items are reclaimed lazily, or by the memory's
   * sweep or crawler.
   */
  flushLocked(delaySeconds: number, now: number): void {
    if (delaySeconds > 0) {
      this.mem.setF64(FLUSH_AT, expiresAt(delaySeconds, now));
    } else {
      Atomics.add(this.mem.i32, FLUSH_EPOCH >>> 2, 1);
      this.mem.setF64(FLUSH_AT, 0);
    }
  }

  /**
   * Lets a delayed flush that has come due take effect; every operation calls this first. Every
   * item stored before the flush time carries the current epoch, and every item stored after it
   * will carry the next one (its own operation runs this check first): so turning the time into an
   * epoch boundary here is exact, and one rule (epoch ≠ FLUSH_EPOCH) covers both kinds of flush.
   */
  applyDueFlushLocked(now: number): void {
    const flushAt = this.mem.f64(FLUSH_AT);
    if (flushAt !== 0 && flushAt <= now) this.flushLocked(0, now);
  }

  // ───────────── Counters ─────────────

  /** Adds one to counter `stat` (an index from layout.ts's STAT). */
  count(stat: number): void {
    this.add(stat, 1);
  }

  /** Adds `delta` to counter `stat`. */
  add(stat: number, delta: number): void {
    const slot = this.countersAt + stat * 8;
    this.mem.setF64(slot, this.mem.f64(slot) + delta);
  }

  /** `item`'s size as memcached charges it, which the `bytes` counter adds up (see itemTotalSize). */
  chargedSize(item: number): number {
    return itemTotalSize(this.mem.u16(item + ITEM_KEY_LENGTH), this.valueLength(item));
  }

  /** The next CAS value: a u64 counter in the header (it would take centuries to wrap). */
  protected takeCasLocked(): bigint {
    const cas = this.mem.u64(NEXT_CAS);
    this.mem.setU64(NEXT_CAS, cas + 1n);
    return cas;
  }
}
