/**
 * One LRU per size class (memcached's items.c, without its segments): a doubly linked list of the
 * class's items through their chunks' LRU prefix, the most recently used at the head. A new item
 * goes to the head; eviction takes the tail. A fetch moves an item to the head only when it has not
 * been moved there for a bump interval (memcached's ITEM_UPDATE_INTERVAL, 60 s): a hot item would
 * otherwise take the list's links on every get, and nothing near the head is at risk anyway. An
 * item fetched since it was last linked (its access time is past its link time) is "active": when
 * it reaches the tail it is moved back to the head instead of evicted (slab-room.ts), so a working
 * set survives a flood of new items even within one interval. docs/phase4-memory.md compares this
 * with memcached's segmented HOT/WARM/COLD and with the interval alone, measured.
 * @module
 */
import type { StoreMemory } from '../../../shared/store/store-memory.ts';
import { CLASS_LRU_HEAD, CLASS_LRU_TAIL, classSlot, LRU_NEXT, LRU_PREV, LRU_TIME } from './slab-layout.ts';

/** The lists of every class. Every method expects the store's lock held. */
export class SlabLru {
  private readonly mem: StoreMemory;
  private readonly base: number;

  constructor(mem: StoreMemory, base: number) {
    this.mem = mem;
    this.base = base;
  }

  /** The least recently used item of class `index`, 0 for none. */
  tail(index: number): number {
    return this.mem.u32(this.base + classSlot(index, CLASS_LRU_TAIL));
  }

  /** The most recently used item of class `index`, 0 for none. */
  head(index: number): number {
    return this.mem.u32(this.base + classSlot(index, CLASS_LRU_HEAD));
  }

  /** The item after `item` towards the head (more recent), 0 at the head. */
  newer(item: number): number {
    return this.mem.u32(item + LRU_PREV);
  }

  /** When `item` was last linked at the head (ms). */
  linkedAt(item: number): number {
    return this.mem.f64(item + LRU_TIME);
  }

  /** Puts `item` at the head of class `index`'s list. */
  linkLocked(index: number, item: number, now: number): void {
    const mem = this.mem;
    const headSlot = this.base + classSlot(index, CLASS_LRU_HEAD);
    const head = mem.u32(headSlot);
    mem.setU32(item + LRU_PREV, 0);
    mem.setU32(item + LRU_NEXT, head);
    mem.setF64(item + LRU_TIME, now);
    if (head !== 0) mem.setU32(head + LRU_PREV, item);
    else mem.setU32(this.base + classSlot(index, CLASS_LRU_TAIL), item);
    mem.setU32(headSlot, item);
  }

  /** Takes `item` out of class `index`'s list. */
  unlinkLocked(index: number, item: number): void {
    const mem = this.mem;
    const prev = mem.u32(item + LRU_PREV);
    const next = mem.u32(item + LRU_NEXT);
    if (prev !== 0) mem.setU32(prev + LRU_NEXT, next);
    else mem.setU32(this.base + classSlot(index, CLASS_LRU_HEAD), next);
    if (next !== 0) mem.setU32(next + LRU_PREV, prev);
    else mem.setU32(this.base + classSlot(index, CLASS_LRU_TAIL), prev);
  }

  /**
   * A fetch of `item`: moves it to the head if it was linked there more than `interval` ms ago.
   * Returns whether it moved. Most gets of a hot item change nothing but this comparison.
   */
  bumpLocked(index: number, item: number, now: number, interval: number): boolean {
    if (now - this.mem.f64(item + LRU_TIME) < interval) return false;
    this.unlinkLocked(index, item);
    this.linkLocked(index, item, now);
    return true;
  }
}
