/**
 * The store every phase 1 worker shares: a hash table and an item arena inside one
 * SharedArrayBuffer, with memcached 1.6's item semantics. The commands are decided in
 * item-commands.ts (one global lock, atomics-lock.ts); the items live in the arena of
 * arena-items.ts. This file makes and attaches the buffer, and reports the arena's statistics.
 * @module
 */
import { DEFAULT_MAX_ITEM_SIZE } from './item-size.ts';
import { ArenaItems } from './arena-items.ts';
import { ItemCommands } from './item-commands.ts';
import { ARENA_END, ARENA_START, ARENA_TOP, BUCKET_MASK, MAGIC, MAX_ITEM_SIZE, NEXT_CAS, STORE_MAGIC } from './layout.ts';
import { planStore } from './store-geometry.ts';
import { attachStoreMemory, StoreMemory } from './store-memory.ts';
import type { SizeClassReport, StoreStats } from './store.ts';

/** Options for {@link SharedStore.create}. */
export interface SharedStoreOptions {
  /** Bytes of item memory (the arena), memcached's `-m`: 64 B to 2 GiB. */
  readonly memoryBytes: number;
  /** The largest item, charged as memcached does (`itemTotalSize`): 1 KiB to 1 GiB, default 1 MiB. */
  readonly maxItemSize?: number;
  /** The clock, in ms since the Unix epoch (default Date.now); tests pass a fake one. */
  readonly now?: () => number;
}

/** Options for {@link SharedStore.attach}. */
export interface AttachOptions {
  /** The clock, in ms since the Unix epoch (default Date.now). */
  readonly now?: () => number;
}

/**
 * A {@link "shared/store/store"!Store} in a SharedArrayBuffer. One thread calls
 * {@link SharedStore.create}, hands {@link SharedStore.buffer} to the others (postMessage shares
 * it, never copies it), and each of them calls {@link SharedStore.attach}.
 *
 * Locking: ONE lock guards the whole store, taken once per method (item-commands.ts). It is
 * simple and plainly correct, and it makes every worker queue on one word — the phase 1 guide
 * measures the cost. The next step is lock striping: one lock per group of buckets (and one for
 * the allocator), so that operations on different keys stop waiting for each other.
 */
export class SharedStore extends ItemCommands<ArenaItems> {
  /** Allocates and formats a new store. */
  static create(options: SharedStoreOptions): SharedStore {
    const maxItemSize = options.maxItemSize ?? DEFAULT_MAX_ITEM_SIZE;
    const geometry = planStore(options.memoryBytes, maxItemSize);
    // A new SharedArrayBuffer is zero-filled: the lock is free, every bucket and free list is
    // empty, every counter is 0. Only the header slots that start non-zero need writing.
    const mem = new StoreMemory(new SharedArrayBuffer(geometry.totalBytes));
    mem.setU32(MAGIC, STORE_MAGIC);
    mem.setU32(BUCKET_MASK, geometry.bucketCount - 1);
    mem.setU32(MAX_ITEM_SIZE, maxItemSize);
    mem.setU32(ARENA_START, geometry.arenaStart);
    mem.setU32(ARENA_END, geometry.arenaEnd);
    mem.setU32(ARENA_TOP, geometry.arenaStart);
    mem.setU64(NEXT_CAS, 1n);
    return new SharedStore(mem, options.now);
  }

  /**
   * Uses a store that another thread created.
   * @throws TypeError when `buffer` was not made by {@link SharedStore.create}
   */
  static attach(buffer: SharedArrayBuffer, options: AttachOptions = {}): SharedStore {
    const mem = attachStoreMemory(buffer, STORE_MAGIC, 'SharedStore.attach(): this buffer does not hold a store');
    return new SharedStore(mem, options.now);
  }

  private constructor(mem: StoreMemory, now: (() => number) | undefined) {
    super(mem, new ArenaItems(mem), now);
  }

  protected statsLocked(): StoreStats {
    return this.items.statsLocked();
  }

  protected sizeClassStatsLocked(): SizeClassReport {
    return this.items.sizeClassStatsLocked();
  }

  protected resetStatsLocked(): void {
    this.items.resetStatsLocked();
  }
}
