/**
 * How big each region of a store's SharedArrayBuffer is, from the memory and item size limits:
 * a power-of-two bucket count proportional to the arena, then the arena, 8-byte aligned.
 * @module
 */
import { BUCKET_BYTES, BUCKETS_START, MAX_CLASS_SHIFT, MIN_CLASS_SHIFT } from './layout.ts';

/**
 * One bucket per 128 arena bytes: a store full of small items (the 64- and 128-byte classes) has
 * chains of one or two items, larger items shorter ones, and the bucket array costs 4/128 ≈ 3%.
 */
const ARENA_BYTES_PER_BUCKET = 128;
/** Never fewer buckets than this, so a tiny test store still spreads its keys. */
const MIN_BUCKETS = 16;
/**
 * The largest arena: 2 GiB. Offsets are u32 and a typed array on Node 20 covers at most 4 GiB;
 * 2 GiB plus its 64 MiB of buckets stays well inside both.
 */
export const MAX_MEMORY_BYTES = 2 ** 31;
/** The arena must hold at least one smallest block. */
export const MIN_MEMORY_BYTES = 2 ** MIN_CLASS_SHIFT;
/** The smallest item size limit, memcached's own minimum for `-I`. */
export const MIN_ITEM_SIZE = 1024;
/** The largest item size limit: the largest size class. */
export const MAX_ITEM_SIZE_LIMIT = 2 ** MAX_CLASS_SHIFT;
/** Alignment of the arena (and so of every block): Float64Array fields need 8. */
const ARENA_ALIGNMENT = 8;

/** The byte layout of one store's buffer. */
export interface StoreGeometry {
  readonly bucketCount: number;
  readonly arenaStart: number;
  readonly arenaEnd: number;
  /** The SharedArrayBuffer's length. */
  readonly totalBytes: number;
}

/**
 * Plans a store with `memoryBytes` of item memory.
 * @throws RangeError when a limit is not an integer in its documented range
 */
export function planStore(memoryBytes: number, maxItemSize: number): StoreGeometry {
  checkRange('memoryBytes', memoryBytes, MIN_MEMORY_BYTES, MAX_MEMORY_BYTES);
  checkRange('maxItemSize', maxItemSize, MIN_ITEM_SIZE, MAX_ITEM_SIZE_LIMIT);
  const wanted = Math.max(MIN_BUCKETS, Math.ceil(memoryBytes / ARENA_BYTES_PER_BUCKET));
  const bucketCount = 2 ** Math.ceil(Math.log2(wanted));
  const arenaStart = alignUp(BUCKETS_START + bucketCount * BUCKET_BYTES, ARENA_ALIGNMENT);
  const arenaEnd = arenaStart + alignDown(memoryBytes, ARENA_ALIGNMENT);
  return { bucketCount, arenaStart, arenaEnd, totalBytes: arenaEnd };
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

function alignDown(value: number, alignment: number): number {
  return Math.floor(value / alignment) * alignment;
}
