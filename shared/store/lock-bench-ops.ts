/**
 * What the lock benchmark and its workers share: the job they are sent, and the loops they time —
 * lock()+unlock() pairs around a one-cell critical section, and a get/set mix on a store. Neither
 * loop allocates beyond what the store itself does; keys come from an inline xorshift generator.
 * @module
 */
import type { AtomicsLock } from './atomics-lock.ts';
import type { SharedStore } from './shared-store.ts';

/** What the benchmark sends a worker: a `store` job when `store` is given, else a `lock` job. */
export interface LockBenchJob {
  /** Int32 cells, see {@link BENCH_CELL}. */
  readonly cells: Int32Array;
  readonly store?: SharedArrayBuffer;
  /** Lock pairs or store operations to run. */
  readonly count: number;
  readonly seed: number;
}

/** The cells of {@link LockBenchJob.cells}: the start gate, the lock word, the counter it guards. */
export const BENCH_CELL = { gate: 0, lock: 1, counter: 2 } as const;

/** Every timed loop first runs this fraction of itself untimed, so the JIT has compiled it. */
export const WARMUP_SHARE = 0.1;

/** The store workload: this many keys, values of this many bytes, this share of gets. */
export const WORKLOAD = { keys: 10_000, valueBytes: 100, getShare: 0.9 } as const;

/** The keys of the workload, made once. */
export const BENCH_KEYS: readonly string[] = Array.from({ length: WORKLOAD.keys }, (_, i) => `key:${String(i).padStart(5, '0')}`);

/** Stores every workload key with a value, so gets hit. */
export function preload(store: SharedStore): void {
  const value = Buffer.alloc(WORKLOAD.valueBytes, 0x76);
  for (const key of BENCH_KEYS) store.store('set', key, 0, 0, value);
}

/** `pairs` lock()+unlock() pairs, each around one plain increment of `cells[counterIndex]`. */
export function lockPairs(lock: AtomicsLock, cells: Int32Array, counterIndex: number, pairs: number): void {
  for (let i = 0; i < pairs; i++) {
    lock.lock();
    cells[counterIndex] = cells[counterIndex]! + 1;
    lock.unlock();
  }
}

/** `ops` store operations: WORKLOAD.getShare gets, the rest sets, on random workload keys. */
export function storeOps(store: SharedStore, ops: number, seed: number): void {
  const value = Buffer.alloc(WORKLOAD.valueBytes, 0x77);
  // xorshift32 needs a non-zero state; the seed differs per thread so threads pick different keys.
  let state = (seed * 2654435761) >>> 0 || 1;
  const getThreshold = Math.floor(WORKLOAD.getShare * 2 ** 32);
  for (let i = 0; i < ops; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const key = BENCH_KEYS[state % WORKLOAD.keys]!;
    // A second draw for the get/set choice, so it does not depend on the key.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    if (state < getThreshold) store.get(key);
    else store.store('set', key, 0, 0, value);
  }
}
