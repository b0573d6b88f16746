/**
 * The slab store's general counters (cmd_get, get_hits, curr_items… — layout.ts's STAT), one copy
 * per attached thread. A get counts itself under its key's stripe only (slab-locks.ts), so two
 * threads count at the same moment: adding to one shared f64 would lose updates, and an atomic
 * add on it would bounce its cache line between cores on every get. Instead each thread adds to
 * its own shard with plain writes, and `stats` — which holds every lock — adds the shards up.
 * @module
 */
import type { StoreMemory } from '../../../shared/store/store-memory.ts';
import { MAX_SHARDS, shardSlot, SLAB_SHARDS_TAKEN } from './slab-layout.ts';

/** This thread's shard of each store buffer it attached to (module state is per thread). */
const shards = new WeakMap<SharedArrayBuffer, number>();

/**
 * The byte offset of this thread's shard of the store in `mem` (slab header at `base`): taken the
 * first time this thread attaches, kept for the life of the buffer.
 * @throws RangeError when more than {@link MAX_SHARDS} threads have attached
 */
export function shardOf(mem: StoreMemory, base: number): number {
  let shard = shards.get(mem.buffer);
  if (shard === undefined) {
    shard = Atomics.add(mem.i32, (base + SLAB_SHARDS_TAKEN) >>> 2, 1);
    if (shard >= MAX_SHARDS) throw new RangeError(`a slab store counts for at most ${MAX_SHARDS} threads; this is thread ${shard + 1} to attach`);
    shards.set(mem.buffer, shard);
  }
  return base + shardSlot(shard);
}

/** Counter `stat` summed over every shard handed out. Call with every lock held (a whole-store command). */
export function sumCounter(mem: StoreMemory, base: number, stat: number): number {
  const taken = Math.min(MAX_SHARDS, mem.u32(base + SLAB_SHARDS_TAKEN));
  let sum = 0;
  for (let shard = 0; shard < taken; shard++) sum += mem.f64(base + shardSlot(shard) + stat * 8);
  return sum;
}

/** Zeroes counter `stat` in every shard. Call with every lock held. */
export function zeroCounter(mem: StoreMemory, base: number, stat: number): void {
  for (let shard = 0; shard < MAX_SHARDS; shard++) mem.setF64(base + shardSlot(shard) + stat * 8, 0);
}
