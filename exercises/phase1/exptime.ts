/**
 * Exercise 1.1 — memcached's exptime rules. Every storage command carries an `exptime`; the store
 * turns it into an absolute time once, when the item is stored, then compares it with the clock on
 * every read. Stands in for shared/store/exptime.ts: same exports, same behaviour.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

/** `expiresAt` of an item that never expires. */
export const NEVER = 0;
/** `expiresAt` of an item that is expired from the start (any clock reading is later than −1). */
export const ALREADY_EXPIRED = -1;
/** 30 days in seconds: memcached reads a larger exptime as a Unix time, not as a delay. */
export const MAX_RELATIVE_EXPTIME = 60 * 60 * 24 * 30;

/**
 * When an item stored at `nowMs` with `exptime` expires, in ms since the Unix epoch.
 *
 * TODO: 0 → NEVER; negative → ALREADY_EXPIRED; up to MAX_RELATIVE_EXPTIME → that many seconds
 * after `nowMs`; larger → a Unix time in seconds. Why: clients send both forms and memcached tells
 * them apart only by size — get it wrong and items vanish at once, or live for decades.
 */
export function expiresAt(exptime: number, nowMs: number): number {
  return todo('expiresAt', exptime, nowMs);
}

/**
 * Whether an item with this `expiresAt` is expired at `nowMs`.
 *
 * TODO: NEVER is never expired; any other time is expired once `nowMs` has reached it.
 */
export function isExpired(expiresAtMs: number, nowMs: number): boolean {
  return todo('isExpired', expiresAtMs, nowMs);
}
