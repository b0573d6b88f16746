/**
 * memcached's exptime rules, turned into absolute times in milliseconds: 0 = never; up to 30 days
 * = seconds from now; larger = a Unix time in seconds; negative = already expired.
 * @module
 */

/** `expiresAt` of an item that never expires. */
export const NEVER = 0;
/** `expiresAt` of an item that is expired from the start (any clock reading is later than −1). */
export const ALREADY_EXPIRED = -1;
/**
 * The largest exptime read as relative seconds: 30 days, memcached's REALTIME_MAXDELTA. A larger
 * exptime is an absolute Unix time.
 */
export const MAX_RELATIVE_EXPTIME = 60 * 60 * 24 * 30;
/** Milliseconds per second. */
const MS_PER_SECOND = 1000;

/**
 * When an item given `exptime` now expires, in ms since the Unix epoch.
 * @param exptime - memcached exptime: 0, relative seconds (≤ 30 days), absolute seconds, or negative
 * @param nowMs - the current time in ms
 */
export function expiresAt(exptime: number, nowMs: number): number {
  if (exptime === 0) return NEVER;
  if (exptime < 0) return ALREADY_EXPIRED;
  if (exptime <= MAX_RELATIVE_EXPTIME) return nowMs + exptime * MS_PER_SECOND;
  // An absolute time in the past is simply a time that has already passed: isExpired says so.
  return exptime * MS_PER_SECOND;
}

/** Whether an item with this `expiresAt` is expired at `nowMs` (memcached: expired once reached). */
export function isExpired(expiresAtMs: number, nowMs: number): boolean {
  return expiresAtMs !== NEVER && expiresAtMs <= nowMs;
}
