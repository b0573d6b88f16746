/**
 * The slab class table: memcached's size classes. Class 1's chunk holds the item header plus the
 * minimum key+value space (`-n`); each next class is the previous one times the growth factor
 * (`-f`), rounded up to 8 bytes; the last class is exactly the slab chunk maximum (half a page by
 * default). An item goes to the smallest class whose chunk holds it, so no chunk wastes more than
 * about (factor − 1) of itself; an item larger than the largest chunk is stored chunked.
 * @module
 */

/** A slab page: 1 MiB, memcached's default `-o slab_page_size` and the unit the limit is counted in. */
export const PAGE_BYTES = 1024 * 1024;
/** memcached numbers classes 1…63 (MAX_NUMBER_OF_SLAB_CLASSES is 64 with 0 unused). */
export const MAX_CLASSES = 63;
/** Chunks are multiples of 8 bytes so every header's f64 and u64 fields stay aligned. */
export const CHUNK_ALIGN = 8;

/** How the classes are drawn up. */
export interface SlabClassSpec {
  /** Bytes of header every chunk carries before its key. */
  readonly headerBytes: number;
  /** memcached's `-n`: key + value + flags space of the smallest chunk (default 48). */
  readonly minChunk: number;
  /** memcached's `-f` (default 1.25); must be above 1. */
  readonly growthFactor: number;
  /** memcached's `-o slab_chunk_max`: the largest chunk (default half a page). */
  readonly chunkMax: number;
}

/** One class: its chunk size and how many chunks one page cuts into. */
export interface SlabClass {
  /** memcached's class id, from 1. */
  readonly id: number;
  readonly chunkSize: number;
  readonly chunksPerPage: number;
}

/**
 * The classes, smallest first (index 0 is class 1).
 * @throws RangeError when the spec cannot make at least one class
 */
export function slabClasses(spec: SlabClassSpec): SlabClass[] {
  const { headerBytes, minChunk, growthFactor, chunkMax } = spec;
  if (!(growthFactor > 1)) throw new RangeError(`growth factor must be above 1, got ${growthFactor}`);
  if (chunkMax > PAGE_BYTES || chunkMax < headerBytes + minChunk) {
    throw new RangeError(`slab chunk max must be from ${headerBytes + minChunk} to ${PAGE_BYTES}, got ${chunkMax}`);
  }
  const classes: SlabClass[] = [];
  let size = headerBytes + minChunk;
  // memcached stops growing once the next step would pass chunkMax / factor, keeping the last
  // class for chunkMax itself, and one id short of the table's end.
  while (classes.length < MAX_CLASSES - 1 && size < chunkMax / growthFactor) {
    const chunkSize = Math.ceil(size / CHUNK_ALIGN) * CHUNK_ALIGN;
    classes.push({ id: classes.length + 1, chunkSize, chunksPerPage: Math.floor(PAGE_BYTES / chunkSize) });
    size = chunkSize * growthFactor;
  }
  classes.push({ id: classes.length + 1, chunkSize: chunkMax, chunksPerPage: Math.floor(PAGE_BYTES / chunkMax) });
  return classes;
}

/** The index (id − 1) of the smallest class whose chunk holds `bytes`, or −1 when none does. */
export function classFor(classes: readonly SlabClass[], bytes: number): number {
  // A binary search: the table is sorted and this runs on every store.
  let low = 0;
  let high = classes.length - 1;
  if (bytes > classes[high]!.chunkSize) return -1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (classes[middle]!.chunkSize >= bytes) high = middle;
    else low = middle + 1;
  }
  return low;
}
