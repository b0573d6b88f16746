/**
 * Exercise 4.2 — the slab class table: the chunk sizes memcached cuts its 1 MiB pages into, from
 * the minimum chunk (-n), the growth factor (-f) and the largest chunk, and which class an item of
 * a given size goes to. Stands in for phases/phase4/slab/slab-classes.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';
import type { SlabClass, SlabClassSpec } from '../../phases/phase4/slab/slab-class-spec.ts';

// Given: PAGE_BYTES (1 MiB), MAX_CLASSES (63) and CHUNK_ALIGN (8) live in
// phases/phase4/slab/slab-class-spec.ts beside the two types; import the constants you need.

/**
 * TODO: the classes, smallest first, class 1 at index 0. Start at `headerBytes + minChunk`; while
 * the size is below `chunkMax / growthFactor` (and fewer than MAX_CLASSES − 1 classes exist),
 * round it up to a multiple of CHUNK_ALIGN, record a class of that size with
 * ⌊PAGE_BYTES / size⌋ chunks per page, and multiply the rounded size by the factor. Close the
 * table with one class of exactly `chunkMax`. Refuse (RangeError) a factor not above 1, and a
 * chunkMax above a page or below the first chunk.
 * Why: each class is a fixed fraction larger than the one before, so an item wastes at most about
 * (factor − 1) of its chunk, and a few dozen classes cover 100 bytes to half a megabyte.
 */
export function slabClasses(spec: SlabClassSpec): SlabClass[] {
  return todo('slabClasses', spec);
}

/**
 * TODO: the index of the smallest class whose chunkSize is at least `bytes`, or −1 when even the
 * largest is too small (the item is then stored in chunks). The table is sorted: search it in
 * halves rather than walking it.
 * Why: every store asks this once; a binary search keeps it at six comparisons for 40 classes.
 */
export function classFor(classes: readonly SlabClass[], bytes: number): number {
  return todo('classFor', classes, bytes);
}
