/**
 * What the slab class table (slab-classes.ts) is drawn from: the page size, memcached's limit on
 * the number of classes, the chunk alignment, and the shapes of a spec and of a class.
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
