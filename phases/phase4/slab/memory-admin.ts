/**
 * memcached's memory admin commands, on a slab store: `cache_memlimit` (the limit, live),
 * `slabs reassign` (move a page between classes now), `slabs automove` (how pages move by
 * themselves) and `lru_crawler crawl` (reclaim every expired item of some classes now). Each takes
 * every lock of the store once (slab-locks.ts: no command runs meanwhile, so no item is busy); a
 * page moves and a crawl runs inline, so what the command reports has already happened
 * (memcached hands both to background threads and answers before they run).
 * @module
 */
import type { MemoryAdminApi, MemoryLimitOutcome, ReassignOutcome } from '../../../shared/store/store.ts';
import { PAGE_BYTES } from './slab-class-spec.ts';
import { SLAB_AUTOMOVE, SLAB_COUNTER } from './slab-layout.ts';
import type { SlabItems } from './slab-items.ts';
import type { SlabLocks } from './slab-locks.ts';
import { SlabRoom } from './slab-room.ts';

/** memcached refuses a limit below 8 MiB. */
const MIN_LIMIT_MB = 8;
/** memcached's guard against a limit given in bytes by mistake. */
const MAX_LIMIT_MB = 1_000_000_000;

/** The admin commands over one store's items and locks. */
export class MemoryAdmin implements MemoryAdminApi {
  private readonly items: SlabItems;
  private readonly locks: SlabLocks;
  private readonly now: () => number;
  private readonly room: SlabRoom;

  constructor(items: SlabItems, now: () => number) {
    this.items = items;
    this.locks = items.locks;
    this.now = now;
    this.room = new SlabRoom(items);
  }

  /**
   * `cache_memlimit <mb>`. Lowering it takes pages back at once — from the classes whose LRU tails
   * are oldest, their items evicted — so memory in use never stays above the limit; raising it
   * past the memory the store was made with grows its buffer (up to the largest store, 2 GiB).
   */
  setMemoryLimit(mb: number): MemoryLimitOutcome {
    if (mb < MIN_LIMIT_MB) return 'TOO_SMALL';
    if (mb > MAX_LIMIT_MB) return 'NOT_BYTES';
    const { allocator } = this.items;
    const pages = Math.floor((mb * 1024 * 1024) / PAGE_BYTES);
    this.locks.lockAll();
    try {
      if (pages > allocator.pageCount()) return 'ADJUST_FAILED';
      allocator.growBufferLocked(pages);
      allocator.setPageLimitLocked(pages);
      const now = this.now();
      while (allocator.pagesOwned() > pages) {
        const donor = this.room.oldestClassLocked(-1, now);
        if (donor === -1 || this.room.movePageLocked(donor, -1, 0, now) !== undefined) break;
      }
      return 'OK';
    } finally {
      this.locks.unlockAll();
    }
  }

  /** `slabs reassign <src> <dst>`: class ids from 1; 0 is the global page pool. */
  reassign(source: number, destination: number): ReassignOutcome {
    const { allocator } = this.items;
    const count = allocator.classCount;
    if (!Number.isInteger(source) || !Number.isInteger(destination) || source < 0 || destination < 0 || source > count || destination > count) {
      return 'BADCLASS';
    }
    if (source === destination) return 'SAME';
    this.locks.lockAll();
    try {
      if (source === 0) {
        if (allocator.poolCount() === 0) return 'NOSPARE';
        const page = allocator.takeSparePageLocked();
        if (page === -1) return 'NOSPARE';
        allocator.assignPageLocked(page, destination - 1);
        allocator.countSlab(SLAB_COUNTER.slabs_moved);
        return 'OK';
      }
      // memcached leaves a class its last page.
      if (allocator.pages(source - 1) < 2) return 'NOSPARE';
      return this.room.movePageLocked(source - 1, destination - 1, 0, this.now()) ?? 'OK';
    } finally {
      this.locks.unlockAll();
    }
  }

  /** `slabs automove <0|1|2>`. */
  setAutomove(mode: 0 | 1 | 2): void {
    this.locks.lockAll();
    try {
      this.items.mem.setU32(this.items.allocator.base + SLAB_AUTOMOVE, mode);
    } finally {
      this.locks.unlockAll();
    }
  }

  /**
   * `lru_crawler crawl <ids|all>`: frees every expired or flushed item of those classes. Returns
   * false (BADCLASS) when an id is not a class.
   */
  crawl(classIds: readonly number[] | 'all'): boolean {
    const { allocator } = this.items;
    const ids = classIds === 'all' ? Array.from({ length: allocator.classCount }, (_, index) => index + 1) : classIds;
    if (ids.some((id) => !Number.isInteger(id) || id < 1 || id > allocator.classCount)) return false;
    this.locks.lockAll();
    try {
      const now = this.now();
      this.items.applyDueFlushLocked(now);
      allocator.countSlab(SLAB_COUNTER.lru_crawler_starts);
      for (const id of ids) this.room.crawlLocked(id - 1, 0, now, true);
      return true;
    } finally {
      this.locks.unlockAll();
    }
  }
}
