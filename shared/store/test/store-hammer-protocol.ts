/** What shared-store.threads.test.ts and its workers (store-hammer-worker.ts) agree on. */

/** What each worker is given. */
export interface HammerData {
  readonly store: SharedArrayBuffer;
  /** Int32 cell 0: the start gate; workers wait on it so they all begin at once. */
  readonly gate: Int32Array;
  readonly id: number;
  readonly increments: number;
  readonly rounds: number;
  /**
   * The `file:` URL of a module exporting `attachStore(buffer)` for the store under test (phase 4's
   * slab store); absent: a SharedStore.
   */
  readonly storeModule?: string;
}

/** What each worker reports when done. */
export interface HammerReport {
  readonly id: number;
  /** incr answers that were not OK. */
  readonly failedIncrements: number;
  /** Reads of the worker's own keys that did not return exactly what it had just stored. */
  readonly ownMismatches: number;
  /** Reads of the shared keys whose value was torn (bytes from two writes) or whose flags disagree. */
  readonly tornReads: number;
  readonly sharedReads: number;
}

/** Keys every worker writes and reads at once. */
export const SHARED_KEYS = ['shared:0', 'shared:1', 'shared:2'] as const;

/** The worker's own keys. */
export function ownKey(id: number, index: number): string {
  return `worker:${id}:key:${index}`;
}

/** Number of own keys per worker. */
export const OWN_KEYS = 16;

/**
 * The value worker `id` writes in round `round` to own key `index`: a length that walks through
 * several size classes, filled with a pattern that differs per worker, key and round.
 */
export function ownValue(id: number, index: number, round: number): Buffer {
  const length = (round * 97 + index * 131 + id * 7) % 3000;
  const value = Buffer.alloc(length);
  for (let i = 0; i < length; i++) value[i] = (id * 31 + index * 17 + round * 13 + i) & 0xff;
  return value;
}

/**
 * A self-describing value for a shared key: every byte is the same, derived from its length, and
 * the flags hold the length. A read that mixes two writes cannot satisfy both rules.
 */
export function sharedValue(length: number): Buffer {
  return Buffer.alloc(length, sharedByte(length));
}

/** The byte a shared value of `length` is filled with. */
export function sharedByte(length: number): number {
  return (length * 7 + 1) & 0xff;
}
