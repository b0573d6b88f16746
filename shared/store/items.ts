/**
 * The items of a store and the memory under them (memcached keeps the same in items.c): lookup with
 * lazy expiry, writing a new version of an item, removal, flushes, the sweep that reclaims expired
 * items when memory runs out, and the stats counters. Every method expects the store's lock held.
 * @module
 */
import { itemTotalSize } from './item-size.ts';
import { expiresAt, isExpired, NEVER } from './exptime.ts';
import { HashTable } from './hash-table.ts';
import {
  ARENA_END, ARENA_START, ARENA_TOP, BUCKET_BYTES, BUCKET_MASK, CLASS_COUNT, CLASS_STAT, CLASS_STAT_COUNT, classStatSlot, FLUSH_AT, FLUSH_EPOCH, ITEM_BITS, ITEM_CAS, ITEM_EPOCH, ITEM_EXPIRES_AT, ITEM_FETCHED,
  ITEM_ACCESSED_AT, ITEM_CLASS, ITEM_FLAGS, ITEM_HASH, ITEM_KEY, ITEM_KEY_LENGTH, ITEM_VALUE_LENGTH, NEXT_CAS, NEXT_EXPIRY, STAT,
  statSlot, SWEPT_FLUSH_EPOCH, type StatName,
} from './layout.ts';
import { blockBytes, SizeClassAllocator, sizeClassOf } from './size-class-allocator.ts';
import type { StoreMemory } from './store-memory.ts';
import type { Item, SizeClassReport, SizeClassStats, StoreStats } from './store.ts';

/** Counters that describe the present, which `stats reset` keeps (memcached keeps curr_items and bytes). */
const KEPT_STATS: ReadonlySet<number> = new Set([STAT.curr_items, STAT.bytes]);
const KEPT_CLASS_STATS: ReadonlySet<number> = new Set([CLASS_STAT.chunks, CLASS_STAT.items, CLASS_STAT.requested]);

/**
 * Items by offset: an item is the byte offset of its block (layout.ts), 0 meaning none. The
 * `Locked` suffix on every method says the caller must hold the store's lock.
 */
export class Items {
  /** The memory the items live in; the store writes value bytes through it. */
  readonly mem: StoreMemory;
  private readonly table: HashTable;
  private readonly allocator: SizeClassAllocator;

  constructor(mem: StoreMemory) {
    this.mem = mem;
    this.table = new HashTable(mem);
    this.allocator = new SizeClassAllocator(mem);
  }

  // ───────────── Looking items up ─────────────

  /**
   * The live item for `key` (`hash` = fnv1a(key)), or 0. An item found flushed or expired is
   * removed on the spot (lazy expiry) and counted as memcached counts it, whatever the command.
   */
  findLiveLocked(key: string, hash: number, now: number): number {
    const item = this.table.findLocked(key, hash);
    if (item === 0) return 0;
    if (this.mem.u32(item + ITEM_EPOCH) !== this.mem.u32(FLUSH_EPOCH)) {
      this.removeLocked(item);
      this.count(STAT.get_flushed);
      return 0;
    }
    if (isExpired(this.mem.f64(item + ITEM_EXPIRES_AT), now)) {
      this.removeLocked(item);
      this.count(STAT.get_expired);
      return 0;
    }
    return item;
  }

  /** A private copy of `item` (whose key is `key`); marks it fetched and accessed `now`. */
  readLocked(item: number, key: string, now: number): Item {
    this.bumpLocked(item, now);
    return this.copyLocked(item, key, true);
  }

  /** A private copy of `item`, its value left empty unless `withValue`; changes nothing. */
  copyLocked(item: number, key: string, withValue: boolean): Item {
    const mem = this.mem;
    const start = this.valueStart(item);
    const value = Buffer.allocUnsafe(withValue ? this.valueLength(item) : 0);
    mem.bytes.copy(value, 0, start, start + value.length);
    return { key, flags: this.flags(item), value, cas: this.cas(item) };
  }

  /** A fetch: the item counts as read (ITEM_FETCHED) and as accessed `now` (for `l` and an LRU). */
  bumpLocked(item: number, now: number): void {
    const mem = this.mem;
    mem.setU8(item + ITEM_BITS, mem.u8(item + ITEM_BITS) | ITEM_FETCHED);
    mem.setF64(item + ITEM_ACCESSED_AT, now);
  }

  /** `item`'s bit flags (ITEM_FETCHED, ITEM_STALE, …). */
  bits(item: number): number {
    return this.mem.u8(item + ITEM_BITS);
  }

  /** Replaces `item`'s bit flags. */
  setBitsLocked(item: number, bits: number): void {
    this.mem.setU8(item + ITEM_BITS, bits);
  }

  /** When `item` was last written or fetched (ms). */
  accessedAt(item: number): number {
    return this.mem.f64(item + ITEM_ACCESSED_AT);
  }

  /** The size class of `item`'s block (0 = 64 bytes). */
  sizeClass(item: number): number {
    return this.mem.u8(item + ITEM_CLASS);
  }

  /** Byte offset of `item`'s value. */
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

  /** Sets `item`'s expiry time (touch, gat). */
  setExpiresAtLocked(item: number, expires: number): void {
    this.mem.setF64(item + ITEM_EXPIRES_AT, expires);
    this.noteExpiryLocked(expires);
  }

  /**
   * A block for the next version of a key whose new item needs `bytes`: `old`'s own block when the
   * size class is the same (rewritten in place — safe, as nobody reads it without the lock), else a
   * fresh one; 0 when the arena is full even after a sweep. `old` is 0 for a new key.
   */
  reserveLocked(old: number, bytes: number, now: number): number {
    const sizeClass = sizeClassOf(bytes);
    if (old !== 0 && this.allocator.classOfBlock(old) === sizeClass) return old;
    let block = this.allocator.allocLocked(bytes);
    if (block === 0 && this.mayReclaimLocked(now)) {
      this.count(STAT.direct_reclaims);
      this.addToClass(sizeClass, CLASS_STAT.direct_reclaims, 1);
      this.sweepLocked(now);
      block = this.allocator.allocLocked(bytes);
    }
    if (block === 0) this.addToClass(sizeClass, CLASS_STAT.outofmemory, 1);
    return block;
  }

  /**
   * Finishes a new version of `key` whose value bytes are already in `block` (from reserveLocked):
   * writes the header, swaps the block in for `old` (0 if none), counts it. The new version gets
   * `cas` when a client chose one (meta's E flag), else the next CAS; its bit flags are `bits`.
   * Returns the new CAS.
   */
  commitLocked(
    old: number, block: number, key: string, hash: number, flags: number, expires: number, length: number, now: number,
    cas = 0n, bits = 0,
  ): bigint {
    const mem = this.mem;
    if (block === old) {
      this.charge(old, -this.chargedSize(old));
    } else {
      mem.setU32(block + ITEM_HASH, hash);
      mem.setU16(block + ITEM_KEY_LENGTH, key.length);
      mem.bytes.write(key, block + ITEM_KEY, 'latin1');
      if (old !== 0) this.removeLocked(old);
      this.table.linkLocked(block);
      this.add(STAT.curr_items, 1);
      this.addToClass(this.sizeClass(block), CLASS_STAT.items, 1);
    }
    if (cas === 0n) cas = this.takeCasLocked();
    mem.setU8(block + ITEM_BITS, bits);
    mem.setU32(block + ITEM_FLAGS, flags);
    mem.setU32(block + ITEM_VALUE_LENGTH, length);
    mem.setU32(block + ITEM_EPOCH, mem.u32(FLUSH_EPOCH));
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

  /** Unlinks `item` and frees its block. */
  removeLocked(item: number): void {
    this.table.unlinkLocked(item);
    this.releaseLocked(item);
  }

  // ───────────── flush_all ─────────────

  /**
   * flush_all: every item stored so far becomes invisible now (`delaySeconds` ≤ 0), or at the time
   * `delaySeconds` names (memcached exptime rules). Items are reclaimed lazily or by a sweep.
   */
  flushLocked(delaySeconds: number, now: number): void {
    if (delaySeconds > 0) {
      this.mem.setF64(FLUSH_AT, expiresAt(delaySeconds, now));
    } else {
      this.mem.setU32(FLUSH_EPOCH, (this.mem.u32(FLUSH_EPOCH) + 1) >>> 0);
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

  /** Adds one to counter `stat` (an index from {@link STAT}). */
  count(stat: number): void {
    this.add(stat, 1);
  }

  /** A snapshot of every counter. */
  statsLocked(): StoreStats {
    const mem = this.mem;
    const buckets = mem.u32(BUCKET_MASK) + 1;
    const snapshot: Partial<StoreStats> = {
      limit_maxbytes: mem.u32(ARENA_END) - mem.u32(ARENA_START),
      // The bucket count is a power of two fixed when the store is made: it never grows.
      hash_power_level: Math.log2(buckets),
      hash_bytes: buckets * BUCKET_BYTES,
      hash_is_expanding: 0,
    };
    for (const name of Object.keys(STAT) as StatName[]) snapshot[name] = mem.f64(statSlot(STAT[name]));
    return snapshot as StoreStats;
  }

  /** A snapshot of every size class that has had a block carved. */
  sizeClassStatsLocked(): SizeClassReport {
    const classes: SizeClassStats[] = [];
    for (let sizeClass = 0; sizeClass < CLASS_COUNT; sizeClass++) {
      const read = (stat: number) => this.mem.f64(classStatSlot(sizeClass, stat));
      const totalChunks = read(CLASS_STAT.chunks);
      if (totalChunks === 0) continue;
      const usedChunks = read(CLASS_STAT.items);
      classes.push({
        id: sizeClass + 1, chunkSize: blockBytes(sizeClass), totalChunks, usedChunks, freeChunks: totalChunks - usedChunks,
        memRequested: read(CLASS_STAT.requested), evicted: read(CLASS_STAT.evicted), evictedNonzero: read(CLASS_STAT.evicted_nonzero),
        outOfMemory: read(CLASS_STAT.outofmemory), reclaimed: read(CLASS_STAT.reclaimed),
        expiredUnfetched: read(CLASS_STAT.expired_unfetched), evictedUnfetched: read(CLASS_STAT.evicted_unfetched),
        directReclaims: read(CLASS_STAT.direct_reclaims),
      });
    }
    return { classes, totalMalloced: this.mem.u32(ARENA_TOP) - this.mem.u32(ARENA_START) };
  }

  /** `stats reset`: zeroes the counters of events, keeps those of the present. */
  resetStatsLocked(): void {
    for (const stat of Object.values(STAT)) if (!KEPT_STATS.has(stat)) this.mem.setF64(statSlot(stat), 0);
    for (let sizeClass = 0; sizeClass < CLASS_COUNT; sizeClass++) {
      for (let stat = 0; stat < CLASS_STAT_COUNT; stat++) {
        if (!KEPT_CLASS_STATS.has(stat)) this.mem.setF64(classStatSlot(sizeClass, stat), 0);
      }
    }
  }

  private add(stat: number, delta: number): void {
    const slot = statSlot(stat);
    this.mem.setF64(slot, this.mem.f64(slot) + delta);
  }

  private addToClass(sizeClass: number, stat: number, delta: number): void {
    // A request beyond the largest class has no counters; allocLocked refuses it anyway.
    if (sizeClass >= CLASS_COUNT) return;
    const slot = classStatSlot(sizeClass, stat);
    this.mem.setF64(slot, this.mem.f64(slot) + delta);
  }

  /** Adds `bytes` (negative to take away) to `bytes` and to `item`'s class's mem_requested. */
  private charge(item: number, bytes: number): void {
    this.add(STAT.bytes, bytes);
    this.addToClass(this.sizeClass(item), CLASS_STAT.requested, bytes);
  }

  // ───────────── Internals ─────────────

  /** Frees an unlinked item's block and takes it out of the counters. */
  private releaseLocked(item: number): void {
    this.add(STAT.curr_items, -1);
    this.addToClass(this.sizeClass(item), CLASS_STAT.items, -1);
    this.charge(item, -this.chargedSize(item));
    this.allocator.freeLocked(item);
  }

  /**
   * Whether a sweep can free anything: an expiry time has passed, or a flush came since the last
   * sweep. Without this check a full arena of live items would be swept on every store.
   */
  private mayReclaimLocked(now: number): boolean {
    const due = this.mem.f64(NEXT_EXPIRY);
    return (due !== NEVER && due <= now) || this.mem.u32(FLUSH_EPOCH) !== this.mem.u32(SWEPT_FLUSH_EPOCH);
  }

  /**
   * Frees every expired or flushed item and recomputes NEXT_EXPIRY. Walks the whole table with the
   * lock held — a pause for every thread, paid only when memory has run out.
   */
  private sweepLocked(now: number): void {
    const mem = this.mem;
    const epoch = mem.u32(FLUSH_EPOCH);
    let nextExpiry = NEVER;
    this.table.removeWhereLocked(
      (item) => {
        const expires = mem.f64(item + ITEM_EXPIRES_AT);
        if (mem.u32(item + ITEM_EPOCH) !== epoch || isExpired(expires, now)) return true;
        if (expires !== NEVER && (nextExpiry === NEVER || expires < nextExpiry)) nextExpiry = expires;
        return false;
      },
      (item) => {
        // memcached's words: "reclaimed" memory of an expired item; "expired_unfetched" if never read.
        const sizeClass = this.sizeClass(item);
        this.count(STAT.reclaimed);
        this.addToClass(sizeClass, CLASS_STAT.reclaimed, 1);
        if ((mem.u8(item + ITEM_BITS) & ITEM_FETCHED) === 0) {
          this.count(STAT.expired_unfetched);
          this.addToClass(sizeClass, CLASS_STAT.expired_unfetched, 1);
        }
        this.releaseLocked(item);
      },
    );
    mem.setF64(NEXT_EXPIRY, nextExpiry);
    mem.setU32(SWEPT_FLUSH_EPOCH, epoch);
  }

  /** Keeps NEXT_EXPIRY at or before the earliest expiry time of any item. */
  private noteExpiryLocked(expires: number): void {
    const due = this.mem.f64(NEXT_EXPIRY);
    if (expires !== NEVER && (due === NEVER || expires < due)) this.mem.setF64(NEXT_EXPIRY, expires);
  }

  /** The next CAS value: a u64 counter in the header (it would take centuries to wrap). */
  private takeCasLocked(): bigint {
    const cas = this.mem.u64(NEXT_CAS);
    this.mem.setU64(NEXT_CAS, cas + 1n);
    return cas;
  }

  /** `item`'s size as memcached charges it, which the `bytes` counter adds up (see itemTotalSize). */
  private chargedSize(item: number): number {
    return itemTotalSize(this.mem.u16(item + ITEM_KEY_LENGTH), this.valueLength(item));
  }
}
