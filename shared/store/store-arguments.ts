/**
 * Argument checks for the store's methods. A wrong argument is the caller's bug (the protocol
 * layers validate what clients send), so it throws a RangeError before any lock is taken.
 * @module
 */
import { MAX_KEY_LENGTH } from './item-size.ts';
import { MAX_COUNTER } from './counter-value.ts';
import { fnv1a } from './fnv1a.ts';

/** The largest client flags value: flags are 32 bits. */
const MAX_FLAGS = 0xffffffff;

/** FNV-1a of `key`, once it is known to be a latin1 string of at most 250 characters. */
export function keyHash(key: string): number {
  if (key.length > MAX_KEY_LENGTH) throw new RangeError(`key is longer than ${MAX_KEY_LENGTH} bytes`);
  return fnv1a(key);
}

/** Flags are an unsigned 32-bit integer. */
export function checkFlags(flags: number): void {
  if (!Number.isInteger(flags) || flags < 0 || flags > MAX_FLAGS) {
    throw new RangeError(`flags must be a 32-bit unsigned integer, got ${flags}`);
  }
}

/** exptime (and flush_all's delay) is any integer: exptime.ts gives each range its meaning. */
export function checkExptime(exptime: number): void {
  if (!Number.isSafeInteger(exptime)) throw new RangeError(`exptime must be an integer, got ${exptime}`);
}

/** incr/decr deltas and initial values are unsigned 64-bit integers. */
export function checkCounter(name: string, value: bigint): void {
  if (value < 0n || value > MAX_COUNTER) throw new RangeError(`${name} must be from 0 to 2^64 - 1, got ${value}`);
}
