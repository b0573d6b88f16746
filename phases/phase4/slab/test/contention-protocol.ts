/** What slab-contention.test.ts and its workers (contention-worker.ts) exchange. */

/** The workerData of one worker. */
export interface ContentionData {
  readonly buffer: SharedArrayBuffer;
  /** The workers wait on element 0 until it turns 1, so they all start at once. */
  readonly gate: Int32Array;
  readonly id: number;
  readonly operations: number;
  /** The key space: k0 … k(keys − 1). */
  readonly keys: number;
}

/** What a worker reports when it is done. */
export interface ContentionReport {
  readonly id: number;
  readonly failedStores: number;
  readonly wrongValues: number;
  readonly hits: number;
}

/** Bytes of every value a worker stores. */
export const VALUE_BYTES = 200;

/**
 * A value for `key`: the key's name and a colon, then one letter repeated to 200 bytes. Each set
 * picks another letter, so a read that mixes two versions (a torn read) shows two letters.
 */
export function contentionValue(key: string, letter: string): Buffer {
  return Buffer.from(`${key}:`.padEnd(VALUE_BYTES, letter), 'latin1');
}

/** Whether `value` is a whole version of `key`'s value, perhaps with appended '+'s after it. */
export function isWholeValue(key: string, value: Buffer): boolean {
  const text = value.toString('latin1');
  const prefix = `${key}:`;
  if (!text.startsWith(prefix) || text.length < VALUE_BYTES) return false;
  const letter = text[prefix.length]!;
  for (let i = prefix.length; i < VALUE_BYTES; i++) if (text[i] !== letter) return false;
  return /^\+*$/.test(text.slice(VALUE_BYTES));
}
