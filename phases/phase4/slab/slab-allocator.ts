/**
 * The slab allocator (memcached's slabs.c): memory is cut into 1 MiB pages; a page is given to a
 * size class when the class first needs room and is then cut into that class's chunks, which go on
 * the class's free list. alloc pops a free chunk, or cuts a fresh page while the memory limit
 * allows; free pushes the chunk back. Both are O(1); cutting a page is O(chunks per page), once.
 * A page can later be taken back (emptied by the caller) and handed to another class: that is
 * how `slabs reassign` and automove rebalance memory between classes.
 * @module
 */
import { ARENA_END, ITEM_BITS, ITEM_CLASS, ITEM_NEXT } from '../../../shared/store/layout.ts';
import type { StoreMemory } from '../../../shared/store/store-memory.ts';
import { PAGE_BYTES } from './slab-class-spec.ts';
import {
  CHUNK_FREE, CLASS_CHUNK_SIZE, CLASS_COUNTER, CLASS_FREE_HEAD, CLASS_PAGES, CLASS_PER_PAGE, classCounterSlot, classSlot,
  LRU_PREFIX, pageSlot, SLAB_CLASS_COUNT, SLAB_COUNTER, SLAB_COUNTERS, SLAB_PAGE_COUNT, SLAB_PAGE_LIMIT, SLAB_PAGES_CUT,
  SLAB_PAGES_START, SLAB_POOL_COUNT, SLAB_POOL_HEAD,
} from './slab-layout.ts';

/**
 * Chunks by class, pages by owner. Its state lives in the slab header of the shared buffer, so
 * every thread's allocator is the same one; every method expects the store's lock held (`Locked`).
 * A chunk is known by its item offset (the chunk's first byte + LRU_PREFIX), like every item.
 */
export class SlabAllocator {
  readonly mem: StoreMemory;
  /** Byte offset of the slab header. */
  readonly base: number;
  /** Number of classes (fixed when the store is made). */
  readonly classCount: number;
  private readonly pagesStart: number;

  constructor(mem: StoreMemory, base: number) {
    this.mem = mem;
    this.base = base;
    this.classCount = mem.u32(base + SLAB_CLASS_COUNT);
    this.pagesStart = mem.u32(base + SLAB_PAGES_START);
  }

  // ───────────── Reading the header ─────────────

  /** Chunk size of class `index` (id − 1). */
  chunkSize(index: number): number {
    return this.mem.u32(this.base + classSlot(index, CLASS_CHUNK_SIZE));
  }

  /** Chunks per page of class `index`. */
  perPage(index: number): number {
    return this.mem.u32(this.base + classSlot(index, CLASS_PER_PAGE));
  }

  /** Pages class `index` owns. */
  pages(index: number): number {
    return this.mem.u32(this.base + classSlot(index, CLASS_PAGES));
  }

  /** The page holding `item`. */
  pageOf(item: number): number {
    return Math.floor((item - this.pagesStart) / PAGE_BYTES);
  }

  /** The class index owning page `page`, or −1 for none. */
  ownerOf(page: number): number {
    return this.mem.u32(this.base + pageSlot(page)) - 1;
  }

  /** Byte offset of page `page`'s first byte. */
  pageStart(page: number): number {
    return this.pagesStart + page * PAGE_BYTES;
  }

  /** Pages cut so far (owned by a class or in the pool). */
  pagesCut(): number {
    return this.mem.u32(this.base + SLAB_PAGES_CUT);
  }

  /** Pages in the global pool. */
  poolCount(): number {
    return this.mem.u32(this.base + SLAB_POOL_COUNT);
  }

  /** The limit in pages. */
  pageLimit(): number {
    return this.mem.u32(this.base + SLAB_PAGE_LIMIT);
  }

  /** Sets the limit in pages (cache_memlimit). */
  setPageLimitLocked(pages: number): void {
    this.mem.setU32(this.base + SLAB_PAGE_LIMIT, pages);
  }

  /** Pages the buffer holds: the most the limit can be raised to. */
  pageCount(): number {
    return this.mem.u32(this.base + SLAB_PAGE_COUNT);
  }

  /** Pages the buffer holds now (it grows when cache_memlimit raises the limit past them). */
  pagesMapped(): number {
    return Math.floor((this.mem.buffer.byteLength - this.pagesStart) / PAGE_BYTES);
  }

  /**
   * Grows the buffer to hold `pages` pages, if it holds fewer (every lock held: no other thread
   * is inside the store, and each maps the new memory as it next takes a lock, slab-locks.ts).
   */
  growBufferLocked(pages: number): void {
    const length = this.pagesStart + pages * PAGE_BYTES;
    if (this.mem.buffer.byteLength >= length) return;
    this.mem.buffer.grow(length);
    // SharedStore's arena end names the buffer's end: attach() checks the two agree.
    this.mem.setU32(ARENA_END, length);
    this.mem.follow();
  }

  /** Pages owned by classes (cut, less the pool). */
  pagesOwned(): number {
    return this.pagesCut() - this.poolCount();
  }

  /** Reads class `index`'s counter `counter`. */
  classCounter(index: number, counter: number): number {
    return this.mem.f64(this.base + classCounterSlot(index, counter));
  }

  /** Adds `delta` to class `index`'s counter `counter`. */
  addToClass(index: number, counter: number, delta: number): void {
    const slot = this.base + classCounterSlot(index, counter);
    this.mem.setF64(slot, this.mem.f64(slot) + delta);
  }

  /** Sets class `index`'s counter `counter` (a figure of the present, such as evicted_time). */
  setClassCounter(index: number, counter: number, value: number): void {
    this.mem.setF64(this.base + classCounterSlot(index, counter), value);
  }

  /** Adds one to slab counter `counter`. */
  countSlab(counter: number): void {
    const slot = this.base + SLAB_COUNTERS + counter * 8;
    this.mem.setF64(slot, this.mem.f64(slot) + 1);
  }

  // ───────────── Chunks ─────────────

  /**
   * A free chunk of class `index` (its item offset), from the free list or a fresh page while the
   * limit allows; 0 when the class must make room first (evict, reclaim or borrow a page).
   */
  allocLocked(index: number): number {
    const mem = this.mem;
    const head = this.base + classSlot(index, CLASS_FREE_HEAD);
    let item = mem.u32(head);
    if (item === 0) {
      if (!this.growLocked(index)) return 0;
      item = mem.u32(head);
    }
    mem.setU32(head, mem.u32(item + ITEM_NEXT));
    // Neither free nor linked: a chunk being filled, which nothing may evict or move.
    mem.setU8(item + ITEM_BITS, 0);
    this.addToClass(index, CLASS_COUNTER.used, 1);
    return item;
  }

  /** Puts `item`'s chunk (unlinked from everything) back on its class's free list. */
  freeLocked(item: number): void {
    const index = this.ownerOf(this.pageOf(item));
    this.pushFreeLocked(index, item);
    this.addToClass(index, CLASS_COUNTER.used, -1);
  }

  // ───────────── Pages ─────────────

  /** Gives class `index` one more page: from the pool, else a fresh one under the limit. */
  private growLocked(index: number): boolean {
    const page = this.takeSparePageLocked();
    if (page === -1) return false;
    this.assignPageLocked(page, index);
    return true;
  }

  /** A page owned by nobody: from the global pool, else a fresh one while under the limit; −1 if none. */
  takeSparePageLocked(): number {
    const mem = this.mem;
    // The limit counts pages in use by classes: a lowered limit holds back pooled pages too.
    if (this.pagesOwned() >= this.pageLimit()) {
      this.countSlab(SLAB_COUNTER.malloc_fails);
      return -1;
    }
    const pool = mem.u32(this.base + SLAB_POOL_HEAD);
    if (pool !== 0) {
      mem.setU32(this.base + SLAB_POOL_HEAD, mem.u32(pool));
      mem.setU32(this.base + SLAB_POOL_COUNT, this.poolCount() - 1);
      return this.pageOf(pool);
    }
    const cut = this.pagesCut();
    if (cut >= this.pagesMapped()) {
      this.countSlab(SLAB_COUNTER.malloc_fails);
      return -1;
    }
    mem.setU32(this.base + SLAB_PAGES_CUT, cut + 1);
    return cut;
  }

  /** Cuts `page` into class `index`'s chunks, every one onto its free list. */
  assignPageLocked(page: number, index: number): void {
    const mem = this.mem;
    mem.setU32(this.base + pageSlot(page), index + 1);
    mem.setU32(this.base + classSlot(index, CLASS_PAGES), this.pages(index) + 1);
    const size = this.chunkSize(index);
    const start = this.pageStart(page);
    // Pushed from the page's end so that the free list hands chunks out in address order.
    for (let chunk = this.perPage(index) - 1; chunk >= 0; chunk--) {
      const item = start + chunk * size + LRU_PREFIX;
      mem.setU8(item + ITEM_CLASS, index);
      this.pushFreeLocked(index, item);
    }
  }

  /**
   * Takes `page` from its class: every chunk on it must be free already (the caller evicted what
   * was there). Its chunks leave the free list — one walk of the list, paid only when a page moves.
   */
  releasePageLocked(page: number): void {
    const mem = this.mem;
    const index = this.ownerOf(page);
    const start = this.pageStart(page);
    const end = start + PAGE_BYTES;
    let link = this.base + classSlot(index, CLASS_FREE_HEAD);
    for (let item = mem.u32(link); item !== 0; item = mem.u32(item + ITEM_NEXT)) {
      if (item >= start && item < end) mem.setU32(link, mem.u32(item + ITEM_NEXT));
      else link = item + ITEM_NEXT;
    }
    mem.setU32(this.base + classSlot(index, CLASS_PAGES), this.pages(index) - 1);
    mem.setU32(this.base + pageSlot(page), 0);
  }

  /** Puts an ownerless page in the global pool (cache_memlimit lowered, or `slabs reassign … 0`). */
  poolPageLocked(page: number): void {
    const mem = this.mem;
    const start = this.pageStart(page);
    mem.setU32(start, mem.u32(this.base + SLAB_POOL_HEAD));
    mem.setU32(this.base + SLAB_POOL_HEAD, start);
    mem.setU32(this.base + SLAB_POOL_COUNT, this.poolCount() + 1);
  }

  /** The item offsets of every chunk of `page`, in address order, for a visitor. */
  forEachChunkLocked(page: number, visit: (item: number) => void): void {
    const index = this.ownerOf(page);
    const size = this.chunkSize(index);
    const start = this.pageStart(page) + LRU_PREFIX;
    for (let chunk = 0, count = this.perPage(index); chunk < count; chunk++) visit(start + chunk * size);
  }

  private pushFreeLocked(index: number, item: number): void {
    const mem = this.mem;
    const head = this.base + classSlot(index, CLASS_FREE_HEAD);
    mem.setU8(item + ITEM_BITS, CHUNK_FREE);
    mem.setU32(item + ITEM_NEXT, mem.u32(head));
    mem.setU32(head, item);
  }
}
