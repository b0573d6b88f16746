/**
 * Making a slab store's buffer: how big each region is (SharedStore's header and buckets, the slab
 * header with its class records and page table, the pages) and the slots that start non-zero.
 * The pages are the memory limit: `-m` MiB is exactly that many 1 MiB pages; everything else is
 * the fixed overhead the guide states.
 * @module
 */
import { DEFAULT_MAX_ITEM_SIZE } from '../../../shared/store/item-size.ts';
import { ARENA_END, ARENA_START, BUCKET_MASK, BUCKETS_START, BUCKET_BYTES, MAGIC, MAX_ITEM_SIZE, NEXT_CAS } from '../../../shared/store/layout.ts';
import { MAX_MEMORY_BYTES, planStore } from '../../../shared/store/store-geometry.ts';
import { StoreMemory } from '../../../shared/store/store-memory.ts';
import { PAGE_BYTES } from './slab-class-spec.ts';
import { slabClasses } from './slab-classes.ts';
import {
  CHUNK_HEADER, CLASS_CHUNK_SIZE, CLASS_PER_PAGE, classSlot, MAX_STRIPES, PAGE_TABLE, PAGES_ALIGN, SLAB_AUTOMOVE, SLAB_BUMP_INTERVAL,
  SLAB_CLASS_COUNT, SLAB_EVICTIONS, SLAB_PAGE_COUNT, SLAB_PAGE_LIMIT, SLAB_PAGES_START, SLAB_STORE_MAGIC, SLAB_STRIPE_MASK,
} from './slab-layout.ts';

/** memcached's default `-f`. */
export const DEFAULT_GROWTH_FACTOR = 1.25;
/** memcached's default `-n`. */
export const DEFAULT_MIN_CHUNK = 48;
/** memcached's default slab chunk maximum: half a page. */
export const DEFAULT_CHUNK_MAX = PAGE_BYTES / 2;
/** memcached's ITEM_UPDATE_INTERVAL: a fetched item moves up its LRU at most once a minute. */
export const DEFAULT_BUMP_INTERVAL_MS = 60_000;

/** How a slab store is made. */
export interface SlabStoreOptions {
  /** Item memory, memcached's `-m`: rounded down to whole 1 MiB pages, at least one. */
  readonly memoryBytes: number;
  /** The largest item (`-I`), as memcached charges it; default 1 MiB. */
  readonly maxItemSize?: number;
  /** `-f`, default 1.25. */
  readonly growthFactor?: number;
  /** `-n`, default 48. */
  readonly minChunk?: number;
  /** `-o slab_chunk_max`, default 512 KiB. */
  readonly chunkMax?: number;
  /** false for memcached's `-M`: a full class refuses stores instead of evicting. Default true. */
  readonly evictions?: boolean;
  /** `slabs automove` mode 0, 1 (default) or 2. */
  readonly automove?: 0 | 1 | 2;
  /** How long a fetched item waits before it can move up its LRU again (default 60 s). */
  readonly bumpIntervalMs?: number;
  /** The clock, in ms since the Unix epoch (default Date.now); tests pass a fake one. */
  readonly now?: () => number;
}

/**
 * Allocates and formats a slab store's buffer.
 * @throws RangeError when an option is out of its range
 */
export function formatSlabStore(options: SlabStoreOptions): StoreMemory {
  const maxItemSize = options.maxItemSize ?? DEFAULT_MAX_ITEM_SIZE;
  const pageCount = Math.floor(options.memoryBytes / PAGE_BYTES);
  if (pageCount < 1) throw new RangeError(`memoryBytes must be at least one ${PAGE_BYTES}-byte page, got ${options.memoryBytes}`);
  const classes = slabClasses({
    headerBytes: CHUNK_HEADER,
    minChunk: options.minChunk ?? DEFAULT_MIN_CHUNK,
    growthFactor: options.growthFactor ?? DEFAULT_GROWTH_FACTOR,
    chunkMax: options.chunkMax ?? DEFAULT_CHUNK_MAX,
  });
  // SharedStore's bucket plan for this much memory (and its range checks on both limits).
  const { bucketCount } = planStore(pageCount * PAGE_BYTES, maxItemSize);
  const slabBase = BUCKETS_START + bucketCount * BUCKET_BYTES;
  // The page table has room for the most pages any store may have, so that cache_memlimit can
  // raise the limit past -m: the buffer then grows (MemoryAdmin), up to maxBytes.
  const maxPages = Math.floor(MAX_MEMORY_BYTES / PAGE_BYTES);
  const pagesStart = Math.ceil((slabBase + PAGE_TABLE + maxPages * 4) / PAGES_ALIGN) * PAGES_ALIGN;
  const totalBytes = pagesStart + pageCount * PAGE_BYTES;
  const maxBytes = pagesStart + maxPages * PAGE_BYTES;
  // Zero-filled: the lock is free, every bucket, list, page owner and counter empty. Growing only
  // reserves address space up front; memory is used as pages are cut.
  const mem = new StoreMemory(new SharedArrayBuffer(totalBytes, { maxByteLength: maxBytes }));
  mem.setU32(MAGIC, SLAB_STORE_MAGIC);
  mem.setU32(BUCKET_MASK, bucketCount - 1);
  mem.setU32(MAX_ITEM_SIZE, maxItemSize);
  // SharedStore's arena slots name the pages here: where they start and where the buffer ends.
  mem.setU32(ARENA_START, pagesStart);
  mem.setU32(ARENA_END, totalBytes);
  mem.setU64(NEXT_CAS, 1n);
  mem.setU32(slabBase + SLAB_PAGE_COUNT, maxPages);
  mem.setU32(slabBase + SLAB_PAGE_LIMIT, pageCount);
  mem.setU32(slabBase + SLAB_CLASS_COUNT, classes.length);
  mem.setU32(slabBase + SLAB_PAGES_START, pagesStart);
  mem.setU32(slabBase + SLAB_EVICTIONS, options.evictions === false ? 0 : 1);
  mem.setU32(slabBase + SLAB_AUTOMOVE, options.automove ?? 1);
  mem.setU32(slabBase + SLAB_STRIPE_MASK, Math.min(MAX_STRIPES, bucketCount) - 1);
  mem.setF64(slabBase + SLAB_BUMP_INTERVAL, options.bumpIntervalMs ?? DEFAULT_BUMP_INTERVAL_MS);
  classes.forEach((c, index) => {
    mem.setU32(slabBase + classSlot(index, CLASS_CHUNK_SIZE), c.chunkSize);
    mem.setU32(slabBase + classSlot(index, CLASS_PER_PAGE), c.chunksPerPage);
  });
  return mem;
}

/** Where the slab header of a buffer starts: right after SharedStore's header and the buckets. */
export function slabHeaderStart(mem: StoreMemory): number {
  return BUCKETS_START + (mem.u32(BUCKET_MASK) + 1) * BUCKET_BYTES;
}
