/**
 * incr and decr, classic (`incr k 5`) and meta (`ma`), over any store's memory: read the value as
 * a 64-bit unsigned number (counter-value.ts), add or subtract with memcached's wrap and floor,
 * and write the digits back — in place, space-padded, when they fit, as memcached does. Each
 * function expects the store's lock held (item-commands.ts takes it).
 * @module
 */
import { applyDelta, parseCounter } from './counter-value.ts';
import { expiresAt } from './exptime.ts';
import type { ItemMemory } from './item-memory.ts';
import { STAT } from './layout.ts';
import { ArithResult, type ArithCreate, type ArithOutcome } from './store.ts';

// Outcomes without a CAS are shared constants, so the common failures allocate nothing.
const ARITH_NOT_FOUND: ArithOutcome = Object.freeze({ result: ArithResult.NotFound, value: 0n, cas: 0n });
const ARITH_NON_NUMERIC: ArithOutcome = Object.freeze({ result: ArithResult.NonNumeric, value: 0n, cas: 0n });
const ARITH_NO_MEMORY: ArithOutcome = Object.freeze({ result: ArithResult.NoMemory, value: 0n, cas: 0n });
const ARITH_EXISTS: ArithOutcome = Object.freeze({ result: ArithResult.Exists, value: 0n, cas: 0n });

/** memcached pads a counter that got shorter with spaces, keeping the value's length. */
const SPACE = 0x20;

/**
 * incr/decr, classic or meta: `touch` sets an existing item's exptime on success, `explicitCas`
 * (meta's E; 0n for none) is the new CAS. A miss creates the item only with `create`.
 */
export function incrDecrLocked(
  items: ItemMemory, key: string, hash: number, incr: boolean, delta: bigint, create: ArithCreate | undefined, casUnique: bigint,
  touch: number | undefined, explicitCas: bigint, now: number,
): ArithOutcome {
  const item = items.findLiveLocked(key, hash, now);
  if (item === 0) {
    if (create === undefined) {
      items.count(incr ? STAT.incr_misses : STAT.decr_misses);
      return ARITH_NOT_FOUND;
    }
    // The binary protocol's create-on-miss: memcached counts neither a miss nor a set.
    return writeCounterLocked(items, 0, key, hash, 0, expiresAt(create.exptime, now), create.initial, now, explicitCas);
  }
  if (casUnique !== 0n && items.cas(item) !== casUnique) return ARITH_EXISTS;
  // A chunked value is longer than any block, far longer than any number.
  if (items.isChunked(item)) return ARITH_NON_NUMERIC;
  const start = items.valueStart(item);
  const current = parseCounter(items.mem.bytes, start, start + items.valueLength(item));
  if (current === undefined) return ARITH_NON_NUMERIC;
  items.count(incr ? STAT.incr_hits : STAT.decr_hits);
  const value = applyDelta(current, incr, delta);
  const expires = touch === undefined ? items.expiresAt(item) : expiresAt(touch, now);
  return writeCounterLocked(items, item, key, hash, items.flags(item), expires, value, now, explicitCas);
}

/**
 * Stores `value` as decimal text. Like memcached, a number no longer than the old value is
 * rewritten in place, padded with spaces to the old length (`100` decr 1 reads back `99 `); a
 * longer one becomes a new value of exactly its digits. `old` is 0 when creating the key.
 */
function writeCounterLocked(
  items: ItemMemory, old: number, key: string, hash: number, flags: number, expires: number, value: bigint, now: number, explicitCas = 0n,
): ArithOutcome {
  const bytes = items.mem.bytes;
  const digits = value.toString();
  if (old !== 0 && digits.length <= items.valueLength(old) && items.rewritableLocked(old)) {
    const start = items.valueStart(old);
    bytes.write(digits, start, 'latin1');
    bytes.fill(SPACE, start + digits.length, start + items.valueLength(old));
    // Unchanged unless meta's ma asked for a new TTL (T).
    items.setExpiresAtLocked(old, expires);
    return { result: ArithResult.Ok, value, cas: items.markRewrittenLocked(old, now, explicitCas) };
  }
  const block = items.reserveLocked(old, key.length, digits.length, now);
  if (block === 0) return ARITH_NO_MEMORY;
  const cas = items.commitLocked(old, block, key, hash, flags, expires, digits.length, now, explicitCas);
  // Written after the commit, which has set the key (so valueStart is right) and reads no value
  // byte: a counter's at most 20 digits are contiguous in every store's memory.
  bytes.write(digits, items.valueStart(block), 'latin1');
  return { result: ArithResult.Ok, value, cas };
}
