/**
 * The slab class table: memcached's size classes. Class 1's chunk holds the item header plus the
 * minimum key+value space (`-n`); each next class is the previous one times the growth factor
 * (`-f`), rounded up to 8 bytes; the last class is exactly the slab chunk maximum (half a page by
 * default). An item goes to the smallest class whose chunk holds it, so no chunk wastes more than
 * about (factor − 1) of itself; an item larger than the largest chunk is stored chunked.
 * Exercise 4.2 of the course (exercises/phase4/slab-classes.ts).
 * @module
 */
import { CHUNK_ALIGN, MAX_CLASSES, PAGE_BYTES, type SlabClass, type SlabClassSpec } from './slab-class-spec.ts';

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
