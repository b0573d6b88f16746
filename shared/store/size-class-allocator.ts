/**
 * The arena allocator: segregated free lists with power-of-two size classes (64 B … 1 GiB). alloc
 * pops its class's free list, or else carves a fresh block off the top of the arena; free pushes
 * the block back on its list. Both are O(1), and nothing is ever handed out past the arena's end.
 *
 * A stepping stone: a block keeps its class forever (no splitting, no merging), so memory freed
 * by small items cannot serve a large one, and rounding up to a power of two wastes up to half a
 * block. Phase 4 replaces this with a slab allocator (finer classes, LRU eviction, rebalancing).
 * @module
 */
import {
  ARENA_END, ARENA_TOP, CLASS_COUNT, CLASS_STAT, classStatSlot, freeListHead, ITEM_CLASS, ITEM_NEXT, MIN_CLASS_SHIFT,
} from './layout.ts';
import type { StoreMemory } from './store-memory.ts';

/** The size class whose blocks are the smallest that hold `bytes` (≥ 1). */
export function sizeClassOf(bytes: number): number {
  if (bytes <= 2 ** MIN_CLASS_SHIFT) return 0;
  // ⌈log2(bytes)⌉ = 32 − clz32(bytes − 1) for bytes ≥ 2; class 0 is 2^MIN_CLASS_SHIFT.
  return 32 - Math.clz32(bytes - 1) - MIN_CLASS_SHIFT;
}

/** The size in bytes of a block of size class `sizeClass`. */
export function blockBytes(sizeClass: number): number {
  return 2 ** (sizeClass + MIN_CLASS_SHIFT);
}

/**
 * Allocates blocks inside the arena of a {@link StoreMemory}. Its state (free list heads, bump
 * pointer) lives in the shared header, so every thread's allocator is the same allocator. Every
 * method expects the store's lock held — hence the `Locked` suffix.
 *
 * A block records its class in its header byte {@link ITEM_CLASS}; a free block links to the next
 * free block of its class through {@link ITEM_NEXT}, the same word that chains a live item.
 */
export class SizeClassAllocator {
  private readonly mem: StoreMemory;

  constructor(mem: StoreMemory) {
    this.mem = mem;
  }

  /**
   * A block of at least `bytes` bytes: its offset, or 0 when the class's free list is empty and the
   * arena has no room left for a fresh block.
   * @throws RangeError when `bytes` is beyond the largest size class
   */
  allocLocked(bytes: number): number {
    const sizeClass = sizeClassOf(bytes);
    if (sizeClass >= CLASS_COUNT) throw new RangeError(`no size class holds ${bytes} bytes`);
    const mem = this.mem;
    const listHead = freeListHead(sizeClass);
    const reused = mem.u32(listHead);
    if (reused !== 0) {
      mem.setU32(listHead, mem.u32(reused + ITEM_NEXT));
      return reused;
    }
    const top = mem.u32(ARENA_TOP);
    const size = blockBytes(sizeClass);
    if (top + size > mem.u32(ARENA_END)) return 0;
    mem.setU32(ARENA_TOP, top + size);
    mem.setU8(top + ITEM_CLASS, sizeClass);
    // A carved block belongs to its class for good: `stats slabs` reports the count as total_chunks.
    const carved = classStatSlot(sizeClass, CLASS_STAT.chunks);
    mem.setF64(carved, mem.f64(carved) + 1);
    return top;
  }

  /** Returns `block` to its class's free list. The caller has unlinked it from the hash table. */
  freeLocked(block: number): void {
    const mem = this.mem;
    const listHead = freeListHead(mem.u8(block + ITEM_CLASS));
    mem.setU32(block + ITEM_NEXT, mem.u32(listHead));
    mem.setU32(listHead, block);
  }

  /** The size class of an allocated block. */
  classOfBlock(block: number): number {
    return this.mem.u8(block + ITEM_CLASS);
  }
}
