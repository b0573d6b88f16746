/**
 * Where phases 1–3's items live: blocks of one arena, carved by the size-class allocator
 * (size-class-allocator.ts), with no LRU — when the arena is full, a sweep reclaims expired and
 * flushed items, and a store that still finds no room answers "out of memory". What every store's
 * memory shares (fields, lookup, commit, flushes, counters) is item-fields.ts; the commands that
 * run on it are item-commands.ts. Every `…Locked` method expects the store's lock held.
 * @module
 */
import { isExpired, NEVER } from './exptime.ts';
import { ItemFields } from './item-fields.ts';
import {
  ARENA_END, ARENA_START, ARENA_TOP, BUCKET_BYTES, BUCKET_MASK, CLASS_COUNT, CLASS_STAT, CLASS_STAT_COUNT, classStatSlot,
  FLUSH_EPOCH, ITEM_BITS, ITEM_EPOCH, ITEM_EXPIRES_AT, ITEM_FETCHED, ITEM_KEY, NEXT_EXPIRY, STAT, statSlot, SWEPT_FLUSH_EPOCH,
  type StatName,
} from './layout.ts';
import { blockBytes, SizeClassAllocator, sizeClassOf } from './size-class-allocator.ts';
import type { StoreMemory } from './store-memory.ts';
import type { SizeClassReport, SizeClassStats, StoreStats } from './store.ts';

/** Counters that describe the present, which `stats reset` keeps (memcached keeps curr_items and bytes). */
const KEPT_STATS: ReadonlySet<number> = new Set([STAT.curr_items, STAT.bytes]);
const KEPT_CLASS_STATS: ReadonlySet<number> = new Set([CLASS_STAT.chunks, CLASS_STAT.items, CLASS_STAT.requested]);

/** Items by offset in the arena: an item is the byte offset of its block (layout.ts), 0 meaning none. */
export class ArenaItems extends ItemFields {
  private readonly allocator: SizeClassAllocator;

  constructor(mem: StoreMemory) {
    super(mem);
    this.allocator = new SizeClassAllocator(mem);
  }

  // ───────────── Reading ─────────────

  copyValueLocked(item: number, target: Buffer, at: number): void {
    const start = this.valueStart(item);
    this.mem.bytes.copy(target, at, start, start + this.valueLength(item));
  }

  /** A fetch: the item counts as read (ITEM_FETCHED) and as accessed `now` (for `l`). */
  bumpLocked(item: number, now: number): void {
    this.markFetchedLocked(item, now);
  }

  /** Replaces `item`'s bit flags. */
  setBitsLocked(item: number, bits: number): void {
    this.mem.setU8(item + ITEM_BITS, bits);
  }

  /** Never: an arena block holds its whole item. */
  isChunked(): boolean {
    return false;
  }

  // ───────────── Writing ─────────────

  /** Sets `item`'s expiry time (touch, gat), keeping NEXT_EXPIRY for the sweep. */
  setExpiresAtLocked(item: number, expires: number): void {
    this.mem.setF64(item + ITEM_EXPIRES_AT, expires);
    this.noteExpiryLocked(expires);
  }

  /**
   * A block for the next version of a key: `old`'s own block when the size class is the same
   * (rewritten in place — safe, as nobody reads it without the lock), else a fresh one; 0 when the
   * arena is full even after a sweep. `old` is 0 for a new key.
   */
  reserveLocked(old: number, keyLength: number, valueLength: number, now: number): number {
    const bytes = ITEM_KEY + keyLength + valueLength;
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

  writeValueLocked(block: number, keyLength: number, at: number, source: Uint8Array): void {
    this.mem.bytes.set(source, block + ITEM_KEY + keyLength + at);
  }

  moveValueLocked(old: number, block: number, keyLength: number, at: number): void {
    const to = block + ITEM_KEY + keyLength + at;
    const from = this.valueStart(old);
    // Buffer.copy handles overlap (memmove), which prepend needs when the block is reused in place.
    if (to !== from) this.mem.bytes.copy(this.mem.bytes, to, from, from + this.valueLength(old));
  }

  /** Unlinks `item` and frees its block. */
  removeLocked(item: number): void {
    this.table.unlinkLocked(item);
    this.releaseLocked(item);
  }

  protected placeLocked(block: number, reused: boolean): void {
    if (!reused) this.addToClass(this.sizeClass(block), CLASS_STAT.items, 1);
  }

  protected committedBits(_block: number, bits: number): number {
    return bits;
  }

  // ───────────── Counters ─────────────

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

  private addToClass(sizeClass: number, stat: number, delta: number): void {
    // A request beyond the largest class has no counters; allocLocked refuses it anyway.
    if (sizeClass >= CLASS_COUNT) return;
    const slot = classStatSlot(sizeClass, stat);
    this.mem.setF64(slot, this.mem.f64(slot) + delta);
  }

  protected charge(item: number, bytes: number): void {
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
}
