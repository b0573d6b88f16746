/**
 * The store side of memcached's meta commands that need more than the classic operations: mg's
 * read with its recache protocol (vivify on miss, recache below a TTL, stale items), md's
 * invalidate, and me's inspection, over any store's memory ({@link ItemMemory}), for every store
 * that extends item-commands.ts. Each function expects the store's lock held, so the decision
 * "who wins the recache" is atomic across threads, as memcached makes it under its item lock.
 * @module
 */
import { expiresAt, NEVER } from './exptime.ts';
import type { ItemMemory } from './item-memory.ts';
import { ITEM_FETCHED, ITEM_KEY_BINARY, ITEM_STALE, ITEM_TOKEN_SENT, STAT } from './layout.ts';
import { DeleteResult, type ItemInspection, type MetaDeleteRequest, type MetaGetRequest, type MetaGetResult } from './store.ts';

const MS_PER_SECOND = 1000;

/** Seconds an item expiring at `expires` (ms, NEVER = 0) has left at `now`: -1 for never, as mg's `t`. */
export function ttlSeconds(expires: number, now: number): number {
  if (expires === NEVER) return -1;
  return Math.max(0, Math.ceil((expires - now) / MS_PER_SECOND));
}

/** Whole seconds since `accessed` (ms), as mg's `l` and me's `la`. */
function idleSeconds(accessed: number, now: number): number {
  return Math.max(0, Math.floor((now - accessed) / MS_PER_SECOND));
}

/**
 * mg: the live item (created empty on a miss when `vivify` is given), its metadata before this
 * command, and the recache decision, in memcached 1.6.18's order: Z when a win was handed out
 * already, X when stale (and then a win if none was handed out), W for a vivify or an `R` whose
 * threshold is above the remaining TTL.
 */
export function metaGetLocked(items: ItemMemory, key: string, hash: number, now: number, request: MetaGetRequest): MetaGetResult | undefined {
  const touches = request.touch !== undefined;
  items.count(touches ? STAT.cmd_touch : STAT.cmd_get);
  let item = items.findLiveLocked(key, hash, now);
  let created = false;
  if (item === 0 && request.vivify !== undefined) {
    const block = items.reserveLocked(0, key.length, 0, now);
    if (block !== 0) {
      // An empty value, flags 0; its exptime is set below, like any touch. Created "already won".
      items.commitLocked(0, block, key, hash, 0, NEVER, 0, now, request.explicitCas ?? 0n, ITEM_TOKEN_SENT);
      item = block;
      created = true;
    }
  }
  if (item === 0) {
    items.count(touches ? STAT.touch_misses : STAT.get_misses);
    return undefined;
  }
  // memcached counts a vivified miss as a hit: after it, the item exists.
  items.count(touches ? STAT.touch_hits : STAT.get_hits);
  const bits = items.bits(item);
  const before = items.expiresAt(item);
  const fetchedBefore = (bits & ITEM_FETCHED) !== 0;
  const idle = idleSeconds(items.accessedAt(item), now);
  if (created) items.setExpiresAtLocked(item, expiresAt(request.vivify!, now));
  else if (touches) items.setExpiresAtLocked(item, expiresAt(request.touch, now));
  const tokenSent = !created && (bits & ITEM_TOKEN_SENT) !== 0;
  const stale = (bits & ITEM_STALE) !== 0;
  let won = created;
  if (!created && !tokenSent) {
    // R: the remaining TTL (before any T of this command, as memcached compares) is below the token.
    const recache = request.recache !== undefined && before !== NEVER && before < expiresAt(request.recache, now);
    won = recache || stale;
  }
  if (won) items.setBitsLocked(item, items.bits(item) | ITEM_TOKEN_SENT);
  if (!request.noBump) items.bumpLocked(item, now);
  return {
    item: items.copyLocked(item, key, request.withValue),
    valueLength: items.valueLength(item),
    ttlBefore: created ? -1 : ttlSeconds(before, now),
    ttl: ttlSeconds(items.expiresAt(item), now),
    fetchedBefore,
    idleSeconds: idle,
    created,
    won,
    stale,
    tokenSent,
    binaryKey: (bits & ITEM_KEY_BINARY) !== 0,
  };
}

/** md: delete the item, or with `invalidate` mark it stale with a new CAS (and exptime, with `touch`). */
export function metaDeleteLocked(items: ItemMemory, key: string, hash: number, now: number, request: MetaDeleteRequest): DeleteResult {
  const item = items.findLiveLocked(key, hash, now);
  if (item === 0) {
    items.count(STAT.delete_misses);
    return DeleteResult.NotFound;
  }
  if (request.compareCas !== undefined && items.cas(item) !== request.compareCas) {
    // memcached counts a CAS mismatch on md as a delete miss.
    items.count(STAT.delete_misses);
    return DeleteResult.Exists;
  }
  if (!request.invalidate) {
    items.removeLocked(item);
    items.count(STAT.delete_hits);
    return DeleteResult.Deleted;
  }
  if (request.touch !== undefined) items.setExpiresAtLocked(item, expiresAt(request.touch, now));
  // Stale, and the win is up for grabs again: the next mg is told to recache.
  items.setBitsLocked(item, (items.bits(item) | ITEM_STALE) & ~ITEM_TOKEN_SENT);
  items.renewCasLocked(item, request.explicitCas ?? 0n);
  return DeleteResult.Deleted;
}

/** me: the item's metadata; nothing is counted, bumped or marked. */
export function inspectLocked(items: ItemMemory, key: string, hash: number, now: number): ItemInspection | undefined {
  const item = items.findLiveLocked(key, hash, now);
  if (item === 0) return undefined;
  const bits = items.bits(item);
  return {
    flags: items.flags(item),
    cas: items.cas(item),
    valueLength: items.valueLength(item),
    ttl: ttlSeconds(items.expiresAt(item), now),
    idleSeconds: idleSeconds(items.accessedAt(item), now),
    fetched: (bits & ITEM_FETCHED) !== 0,
    sizeClass: items.sizeClass(item) + 1,
    binaryKey: (bits & ITEM_KEY_BINARY) !== 0,
  };
}
