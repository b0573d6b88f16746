/**
 * The hash table of a store: a power-of-two array of buckets in shared memory, each the head of a
 * singly linked chain of items (open chaining), indexed by the key's FNV-1a hash. New items go to
 * the front of their chain. Knows items only by their header; knows nothing of expiry or values.
 * @module
 */
import { BUCKET_MASK, bucketSlot, ITEM_HASH, ITEM_KEY, ITEM_KEY_LENGTH, ITEM_NEXT } from './layout.ts';
import type { StoreMemory } from './store-memory.ts';

/** Chains of items, one per bucket. Every method expects the store's lock held. */
export class HashTable {
  private readonly mem: StoreMemory;
  private readonly mask: number;

  constructor(mem: StoreMemory) {
    this.mem = mem;
    this.mask = mem.u32(BUCKET_MASK);
  }

  /** The item whose key is `key` (`hash` = fnv1a(key)), or 0. Compares hashes before key bytes. */
  findLocked(key: string, hash: number): number {
    const mem = this.mem;
    let item = mem.u32(bucketSlot(hash & this.mask));
    while (item !== 0) {
      if (mem.u32(item + ITEM_HASH) === hash && this.keyEquals(item, key)) return item;
      item = mem.u32(item + ITEM_NEXT);
    }
    return 0;
  }

  /** Puts `item` (its hash and key already written) at the front of its bucket's chain. */
  linkLocked(item: number): void {
    const slot = bucketSlot(this.mem.u32(item + ITEM_HASH) & this.mask);
    this.mem.setU32(item + ITEM_NEXT, this.mem.u32(slot));
    this.mem.setU32(slot, item);
  }

  /**
   * Takes `item` out of its chain. Walks the chain to find the link that points at it: chains
   * hold one or two items on average (store-geometry.ts), so a back pointer would cost more.
   */
  unlinkLocked(item: number): void {
    const mem = this.mem;
    let link = bucketSlot(mem.u32(item + ITEM_HASH) & this.mask);
    while (mem.u32(link) !== item) {
      const next = mem.u32(link);
      if (next === 0) throw new Error(`item ${item} is not in its hash chain`);
      link = next + ITEM_NEXT;
    }
    mem.setU32(link, mem.u32(item + ITEM_NEXT));
  }

  /**
   * Visits every item; unlinks each one `remove` says to and hands it to `removed` (which may free
   * it: the walk has already read its successor). O(buckets + items): for sweeps, not requests.
   */
  removeWhereLocked(remove: (item: number) => boolean, removed: (item: number) => void): void {
    const mem = this.mem;
    for (let bucket = 0; bucket <= this.mask; bucket++) {
      let link = bucketSlot(bucket);
      let item = mem.u32(link);
      while (item !== 0) {
        const next = mem.u32(item + ITEM_NEXT);
        if (remove(item)) {
          mem.setU32(link, next);
          removed(item);
        } else {
          link = item + ITEM_NEXT;
        }
        item = next;
      }
    }
  }

  /** Whether `item`'s key bytes are `key`'s characters (a latin1 key: one byte per character). */
  private keyEquals(item: number, key: string): boolean {
    const mem = this.mem;
    if (mem.u16(item + ITEM_KEY_LENGTH) !== key.length) return false;
    const bytes = mem.bytes;
    const start = item + ITEM_KEY;
    for (let i = 0; i < key.length; i++) {
      if (bytes[start + i] !== key.charCodeAt(i)) return false;
    }
    return true;
  }
}
