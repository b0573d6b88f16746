/**
 * The phase 4 store: memcached's slab allocator with an LRU per size class, in one
 * SharedArrayBuffer that every thread attaches to. The commands are SharedStore's, decided once in
 * shared/store/item-commands.ts (one lock taken per method, the decisions made under it); what
 * differs is where items live and what happens when memory is full (slab-items.ts): chunks of
 * size classes in 1 MiB pages, and — unless `-M` — the least recently used item of the class
 * evicted to make room (slab-room.ts). This file makes and attaches the buffer, and reports the
 * slabs' statistics. The guide: [Phase 4 — memory](../../../docs/phase4-memory.md).
 * @module
 */
import { ItemCommands } from '../../../shared/store/item-commands.ts';
import { attachStoreMemory, type StoreMemory } from '../../../shared/store/store-memory.ts';
import type { PinList, SizeClassReport, StoreStats, ValuePins } from '../../../shared/store/store.ts';
import { formatSlabStore, slabHeaderStart, type SlabStoreOptions } from './slab-format.ts';
import { SlabItems } from './slab-items.ts';
import { SLAB_STORE_MAGIC } from './slab-layout.ts';
import { MemoryAdmin } from './memory-admin.ts';
import { slabStatsLocked, sizeClassStatsLocked, resetSlabStatsLocked } from './slab-stats.ts';

export type { SlabStoreOptions } from './slab-format.ts';

/** Options for {@link SlabStore.attach}. */
export interface SlabAttachOptions {
  /** The clock, in ms since the Unix epoch (default Date.now). */
  readonly now?: () => number;
}

/**
 * A {@link "shared/store/store"!Store} over slab memory. One thread calls
 * {@link SlabStore.create}, hands {@link SlabStore.buffer} to the others, and each calls
 * {@link SlabStore.attach}.
 *
 * Locking: striped, as memcached locks its items (slab-locks.ts). A command on one key takes the
 * lock of its key's stripe, and the allocation lock only for the moments it allocates, links or
 * frees; a command on the whole store takes them all. So commands on different keys run side by
 * side in `--threads N` — where SharedStore's one lock would queue every loop on one word.
 */
export class SlabStore extends ItemCommands<SlabItems> {
  /** memcached's memory admin commands (cache_memlimit, slabs, lru_crawler) on this store. */
  readonly admin: MemoryAdmin;
  /** Zero-copy gets: values lent as pinned views of this buffer (slab-pins.ts). */
  readonly valuePins: ValuePins;

  /** Allocates and formats a new store. */
  static create(options: SlabStoreOptions): SlabStore {
    return new SlabStore(formatSlabStore(options), options.now);
  }

  /**
   * Uses a store that another thread created.
   * @throws TypeError when `buffer` was not made by {@link SlabStore.create}
   */
  static attach(buffer: SharedArrayBuffer, options: SlabAttachOptions = {}): SlabStore {
    const mem = attachStoreMemory(buffer, SLAB_STORE_MAGIC, 'SlabStore.attach(): this buffer does not hold a slab store');
    return new SlabStore(mem, options.now);
  }

  private constructor(mem: StoreMemory, now: (() => number) | undefined) {
    super(mem, new SlabItems(mem, slabHeaderStart(mem)), now);
    this.admin = new MemoryAdmin(this.items, this.now);
    this.valuePins = {
      begin: (fromBytes) => this.items.beginLending(fromBytes),
      take: () => this.items.endLending(),
      release: (pins) => this.releasePins(pins),
    };
  }

  /** Gives back pins (item, hash, item, hash…), each under its item's stripe. */
  private releasePins(pins: PinList): void {
    for (let i = 0; i < pins.length; i += 2) {
      const hash = pins[i + 1]!;
      this.lockKey(hash);
      try {
        this.items.unpinLocked(pins[i]!);
      } finally {
        this.unlockKey(hash);
      }
    }
  }

  protected override lockKey(hash: number): void {
    this.items.locks.lockKey(hash);
  }

  protected override unlockKey(hash: number): void {
    this.items.locks.unlockKey(hash);
  }

  protected override lockWhole(): void {
    this.items.locks.lockAll();
  }

  protected override unlockWhole(): void {
    this.items.locks.unlockAll();
  }

  /** The counters, and the slab figures memcached reports in `stats` beside them. */
  protected statsLocked(): StoreStats {
    return slabStatsLocked(this.items);
  }

  protected sizeClassStatsLocked(now: number): SizeClassReport {
    return sizeClassStatsLocked(this.items, now);
  }

  protected resetStatsLocked(): void {
    resetSlabStatsLocked(this.items);
  }
}
