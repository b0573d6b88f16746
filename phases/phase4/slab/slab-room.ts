/**
 * Making room in a full class, in memcached's order: a free chunk or a fresh page first; then
 * expired and flushed items (a look at the LRU's tail, then — when the class's earliest expiry has
 * passed — a crawl of the whole class), so nothing live goes while dead items hold memory; then,
 * with evictions on, the least recently used item of the class, or a page moved from the class
 * whose tail is oldest (automove, or a class that has nothing to evict: without a page it could
 * never store anything again). With `-M` a class that cannot make room refuses the store.
 *
 * All of it runs under the allocation lock, on items of other keys, whose stripes another thread
 * may hold (slab-locks.ts): an item is freed only once its stripe is claimed with `tryItem`, and
 * an item whose stripe is busy is passed over — its owner is using it, so it is no victim anyway.
 * @module
 */
import { NEVER, isExpired } from '../../../shared/store/exptime.ts';
import { FLUSH_EPOCH, ITEM_BITS, ITEM_FETCHED, STAT } from '../../../shared/store/layout.ts';
import {
  CHUNK_DATA, CHUNK_FREE, CLASS_COUNTER, CLASS_CRAWLED_AT, CLASS_CRAWLED_EPOCH, CLASS_NEXT_EXPIRY, classSlot, DATA_OWNER,
  ITEM_LINKED, SLAB_AUTOMOVE, SLAB_COUNTER, SLAB_EVICTIONS, SLAB_LAST_MOVE,
} from './slab-layout.ts';
import type { SlabItems } from './slab-items.ts';
import { ITEM_BUSY } from './slab-locks.ts';

/** memcached looks this many items up from the LRU's tail for an expired one before evicting. */
const TAIL_SEARCH = 5;
/** A crawl on allocation runs at most once a second per class: the next failure evicts instead. */
const CRAWL_INTERVAL_MS = 1000;
/** Automove mode 1 moves at most one page a second, as memcached's automover checks once a second. */
const AUTOMOVE_INTERVAL_MS = 1000;
/**
 * memcached's slab_automove_ratio: mode 1 moves a page from the class whose tail is oldest when the
 * full class's tail is younger than this fraction of it — the full class's items die younger.
 */
export const AUTOMOVE_RATIO = 0.8;

/** Why a page could not be moved (memcached's `slabs reassign` words). */
export type MoveRefusal = 'BUSY' | 'NOSPARE';

/** Room making for the items of one store. Every method expects the allocation lock held. */
export class SlabRoom {
  private readonly items: SlabItems;

  constructor(items: SlabItems) {
    this.items = items;
  }

  /**
   * A chunk of class `index`, making room if need be; 0 when none can be had (counted as the
   * class's outofmemory). `keep` (0 for none) is an item the caller still needs: never evicted.
   */
  allocLocked(index: number, keep: number, now: number): number {
    const { allocator, mem } = this.items;
    let chunk = allocator.allocLocked(index);
    if (chunk !== 0) return chunk;
    if (this.reclaimLocked(index, keep, now)) chunk = allocator.allocLocked(index);
    if (chunk === 0 && mem.u32(allocator.base + SLAB_EVICTIONS) === 1) {
      for (let tries = 0; chunk === 0 && tries < TAIL_SEARCH; tries++) {
        if (!this.evictOrMoveLocked(index, keep, now)) break;
        chunk = allocator.allocLocked(index);
      }
    }
    if (chunk === 0) allocator.addToClass(index, CLASS_COUNTER.outofmemory, 1);
    return chunk;
  }

  /**
   * Frees expired and flushed items of class `index`: up to five from the LRU's tail, and the whole
   * class when its earliest expiry has passed or a flush came since its last crawl (at most once a
   * second). Returns whether anything was freed.
   */
  private reclaimLocked(index: number, keep: number, now: number): boolean {
    const { lru } = this.items;
    let freed = false;
    let item = lru.tail(index);
    for (let looked = 0; item !== 0 && looked < TAIL_SEARCH; looked++) {
      const newer = lru.newer(item);
      if (item !== keep && this.reclaimIfDeadLocked(item, now, false)) freed = true;
      item = newer;
    }
    if (freed) return true;
    const { mem, allocator } = this.items;
    const due = mem.f64(allocator.base + classSlot(index, CLASS_NEXT_EXPIRY));
    const flushed = mem.u32(allocator.base + classSlot(index, CLASS_CRAWLED_EPOCH)) !== mem.u32(FLUSH_EPOCH);
    const crawledAt = mem.f64(allocator.base + classSlot(index, CLASS_CRAWLED_AT));
    if (!((due !== NEVER && due <= now) || flushed) || now - crawledAt < CRAWL_INTERVAL_MS) return false;
    this.items.count(STAT.direct_reclaims);
    allocator.addToClass(index, CLASS_COUNTER.direct_reclaims, 1);
    return this.crawlLocked(index, keep, now, false) > 0;
  }

  /**
   * Walks class `index`'s whole LRU, freeing every expired or flushed item but `keep`, and sets the
   * class's earliest-expiry hint afresh. `crawler` counts the walk as the LRU crawler's. Returns
   * how many items it freed.
   */
  crawlLocked(index: number, keep: number, now: number, crawler: boolean): number {
    const { lru, mem, allocator } = this.items;
    let freed = 0;
    let nextExpiry = NEVER;
    for (let item = lru.tail(index); item !== 0;) {
      const newer = lru.newer(item);
      if (crawler) {
        allocator.addToClass(index, CLASS_COUNTER.crawler_items_checked, 1);
        allocator.countSlab(SLAB_COUNTER.crawler_items_checked);
      }
      if (item !== keep && this.reclaimIfDeadLocked(item, now, crawler)) {
        freed++;
      } else {
        // Read without the item's stripe, the expiry may be a touch late: the toucher then lowers
        // the hint itself (SlabItems.setExpiresAtLocked), under the lock this crawl holds.
        const expires = this.items.expiresAt(item);
        if (expires !== NEVER && (nextExpiry === NEVER || expires < nextExpiry)) nextExpiry = expires;
      }
      item = newer;
    }
    mem.setF64(allocator.base + classSlot(index, CLASS_NEXT_EXPIRY), nextExpiry);
    mem.setU32(allocator.base + classSlot(index, CLASS_CRAWLED_EPOCH), mem.u32(FLUSH_EPOCH));
    mem.setF64(allocator.base + classSlot(index, CLASS_CRAWLED_AT), now);
    return freed;
  }

  private isDeadLocked(item: number, now: number): boolean {
    return this.items.isFlushed(item) || isExpired(this.items.expiresAt(item), now);
  }

  /** Frees `item` if it is expired or flushed, its stripe can be claimed and it is not pinned. Returns whether it did. */
  private reclaimIfDeadLocked(item: number, now: number, crawler: boolean): boolean {
    const { locks, pins } = this.items;
    const claim = locks.tryItem(item);
    if (claim === ITEM_BUSY) return false;
    const dead = !pins.isPinned(item) && this.isDeadLocked(item, now);
    if (dead) this.reclaimItemLocked(item, crawler);
    locks.releaseItem(claim);
    return dead;
  }

  /** Frees a dead item, counted as memcached counts reclaimed memory. */
  private reclaimItemLocked(item: number, crawler: boolean): void {
    const { allocator } = this.items;
    const index = this.items.sizeClass(item);
    this.items.count(STAT.reclaimed);
    allocator.addToClass(index, CLASS_COUNTER.reclaimed, 1);
    if (crawler) {
      allocator.addToClass(index, CLASS_COUNTER.crawler_reclaimed, 1);
      allocator.countSlab(SLAB_COUNTER.crawler_reclaimed);
    }
    if ((this.items.bits(item) & ITEM_FETCHED) === 0) {
      this.items.count(STAT.expired_unfetched);
      allocator.addToClass(index, CLASS_COUNTER.expired_unfetched, 1);
    }
    this.items.removeLocked(item);
  }

  /**
   * One step of room making with evictions on: move a page here when automove says so or when the
   * class has nothing to evict; else evict its LRU tail. Returns whether anything was freed.
   */
  private evictOrMoveLocked(index: number, keep: number, now: number): boolean {
    const { lru, allocator, mem } = this.items;
    const victim = this.victimLocked(index, keep, now);
    const mode = mem.u32(allocator.base + SLAB_AUTOMOVE);
    const donor = this.oldestClassLocked(index, now);
    if (donor !== -1) {
      const ownAge = victim === 0 ? Infinity : now - lru.linkedAt(victim);
      const donorAge = this.ageLocked(donor, now);
      const sinceMove = now - mem.f64(allocator.base + SLAB_LAST_MOVE);
      const moves = victim === 0
        || (mode === 2 && donorAge > ownAge && allocator.pages(donor) > 1)
        || (mode === 1 && ownAge < donorAge * AUTOMOVE_RATIO && allocator.pages(donor) > 1 && sinceMove >= AUTOMOVE_INTERVAL_MS);
      if (moves) {
        // The move evicts what lives on the donor's page: the victim's stripe must be free for it
        // (tryItem does not nest), and taken again if the victim is evicted after all.
        if (victim !== 0) this.items.locks.releaseItem(this.victimClaim);
        if (this.movePageLocked(donor, index, keep, now) === undefined) return true;
        if (victim !== 0 && !this.claimLocked(victim)) return false;
      }
    }
    if (victim === 0) return false;
    this.evictLocked(victim, now);
    this.items.locks.releaseItem(this.victimClaim);
    return true;
  }

  /**
   * The item to evict from class `index`: the LRU's tail, except that a tail item fetched since it
   * was last linked at the head gets a second chance — it goes back to the head, as memcached moves
   * an active item out of its COLD LRU — up to five times per eviction. Items whose stripe another
   * thread holds are passed over. 0 when the class has none; else the victim's stripe is claimed,
   * in {@link SlabRoom.victimClaim}, for the caller to give back once it is evicted.
   */
  private victimLocked(index: number, keep: number, now: number): number {
    const { lru } = this.items;
    // A class whose chunks are data chunks of larger items has nobody in its own LRU.
    if (lru.tail(index) === 0) return this.dataOwnerVictimLocked(index, keep);
    let victim = lru.tail(index);
    for (let rescued = 0; victim !== 0; ) {
      const newer = lru.newer(victim);
      if (victim !== keep && (this.items.bits(victim) & ITEM_LINKED) !== 0) {
        if (rescued === TAIL_SEARCH || this.items.accessedAt(victim) <= lru.linkedAt(victim)) {
          if (this.claimLocked(victim)) return victim;
        } else {
          lru.unlinkLocked(index, victim);
          lru.linkLocked(index, victim, now);
          rescued++;
          // A class with one item would give it its chance and then come back to it.
          if (newer === 0) {
            const last = lru.tail(index);
            return last !== keep && this.claimLocked(last) ? last : 0;
          }
        }
      }
      victim = newer;
    }
    return 0;
  }

  /**
   * The victim for a class that holds only data chunks (the parts of items larger than the chunk
   * maximum, whose headers live in the LRU of another class): of the items owning a chunk here,
   * the one linked at the head of its LRU longest ago, claimed. 0 when none can be had. One look
   * at each of the class's pages: a class of such large chunks has few per page.
   */
  private dataOwnerVictimLocked(index: number, keep: number): number {
    const { allocator, lru, mem } = this.items;
    let best = 0;
    for (let page = 0; page < allocator.pagesCut(); page++) {
      if (allocator.ownerOf(page) !== index) continue;
      allocator.forEachChunkLocked(page, (chunk) => {
        if ((mem.u8(chunk + ITEM_BITS) & CHUNK_DATA) === 0) return;
        const owner = mem.u32(chunk + DATA_OWNER);
        if (owner === keep || (mem.u8(owner + ITEM_BITS) & ITEM_LINKED) === 0) return;
        if (best === 0 || lru.linkedAt(owner) < lru.linkedAt(best)) best = owner;
      });
    }
    return best !== 0 && this.claimLocked(best) ? best : 0;
  }

  /** The claim on the item {@link SlabRoom.victimLocked} chose (slab-locks.ts). */
  private victimClaim = ITEM_BUSY;

  /** Claims `item`'s stripe for an eviction; false when another thread holds it, or a socket is sending its value (a pin). */
  private claimLocked(item: number): boolean {
    const { locks, pins } = this.items;
    this.victimClaim = locks.tryItem(item);
    if (this.victimClaim === ITEM_BUSY) return false;
    if (!pins.isPinned(item)) return true;
    locks.releaseItem(this.victimClaim);
    this.victimClaim = ITEM_BUSY;
    return false;
  }

  /** Evicts a live item, counted as memcached counts evictions. The caller has claimed its stripe. */
  evictLocked(item: number, now: number): void {
    const { allocator, lru } = this.items;
    const index = this.items.sizeClass(item);
    this.items.count(STAT.evictions);
    allocator.addToClass(index, CLASS_COUNTER.evicted, 1);
    if (this.items.expiresAt(item) !== NEVER) allocator.addToClass(index, CLASS_COUNTER.evicted_nonzero, 1);
    if ((this.items.bits(item) & ITEM_FETCHED) === 0) {
      this.items.count(STAT.evicted_unfetched);
      allocator.addToClass(index, CLASS_COUNTER.evicted_unfetched, 1);
    }
    allocator.setClassCounter(index, CLASS_COUNTER.evicted_time, Math.floor((now - lru.linkedAt(item)) / 1000));
    this.items.removeLocked(item);
  }

  /** How long ago (ms) class `index`'s LRU tail was linked; Infinity for a class with pages and no items. */
  ageLocked(index: number, now: number): number {
    const tail = this.items.lru.tail(index);
    return tail === 0 ? Infinity : now - this.items.lru.linkedAt(tail);
  }

  /** The class other than `except` with pages whose LRU tail is oldest (an empty one first); −1 if none. */
  oldestClassLocked(except: number, now: number): number {
    const { allocator } = this.items;
    let best = -1;
    let bestAge = -1;
    for (let index = 0; index < allocator.classCount; index++) {
      if (index === except || allocator.pages(index) === 0) continue;
      const age = this.ageLocked(index, now);
      if (age > bestAge) {
        best = index;
        bestAge = age;
      }
    }
    return best;
  }

  /**
   * Moves one page of class `from` to class `to` (−1: to the global pool), evicting what lives on
   * it: the page holding `from`'s LRU tail, or its first page when it has no items. Returns
   * undefined when moved, or why not: `from` has no page (NOSPARE), or the page holds a chunk being
   * filled, `keep`, a pinned item (one a socket is sending, or one removed while it was), or an item
   * whose stripe another thread holds (BUSY: what was evicted before it stays evicted, and the
   * page stays with `from`).
   */
  movePageLocked(from: number, to: number, keep: number, now: number): MoveRefusal | undefined {
    const { allocator, lru, mem } = this.items;
    if (allocator.pages(from) === 0) return 'NOSPARE';
    const tail = lru.tail(from);
    let page = tail === 0 ? -1 : allocator.pageOf(tail);
    for (let candidate = 0; page === -1 && candidate < allocator.pagesCut(); candidate++) {
      if (allocator.ownerOf(candidate) === from) page = candidate;
    }
    let busy = false;
    allocator.forEachChunkLocked(page, (chunk) => {
      const owner = this.ownerLocked(chunk);
      if (owner !== 0 && (owner === keep || (mem.u8(owner + ITEM_BITS) & ITEM_LINKED) === 0)) busy = true;
    });
    if (busy) {
      allocator.countSlab(SLAB_COUNTER.slab_reassign_busy_items);
      return 'BUSY';
    }
    allocator.forEachChunkLocked(page, (chunk) => {
      // Re-read: evicting an earlier owner may have freed this chunk already.
      const owner = this.ownerLocked(chunk);
      if (owner === 0 || busy) return;
      const claim = this.items.locks.claimItemSoon(owner);
      if (claim === ITEM_BUSY) {
        busy = true;
        return;
      }
      if (this.items.pins.isPinned(owner)) {
        this.items.locks.releaseItem(claim);
        busy = true;
        return;
      }
      allocator.countSlab(SLAB_COUNTER.slab_reassign_evictions_nomem);
      this.evictLocked(owner, now);
      this.items.locks.releaseItem(claim);
    });
    if (busy) {
      allocator.countSlab(SLAB_COUNTER.slab_reassign_busy_items);
      return 'BUSY';
    }
    allocator.releasePageLocked(page);
    if (to === -1) allocator.poolPageLocked(page);
    else allocator.assignPageLocked(page, to);
    allocator.countSlab(SLAB_COUNTER.slabs_moved);
    mem.setF64(allocator.base + SLAB_LAST_MOVE, now);
    return undefined;
  }

  /** The item a chunk belongs to: itself, the owner of a data chunk, or 0 for a free chunk. */
  private ownerLocked(chunk: number): number {
    const bits = this.items.mem.u8(chunk + ITEM_BITS);
    if ((bits & CHUNK_FREE) !== 0) return 0;
    if ((bits & CHUNK_DATA) !== 0) return this.items.mem.u32(chunk + DATA_OWNER);
    return chunk;
  }
}
