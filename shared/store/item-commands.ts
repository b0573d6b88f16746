/**
 * Where memcached's commands are decided, once for every store: the set family, cas, append and
 * prepend, incr/decr, touch and gat, delete with a CAS, flush_all's epochs and the meta commands
 * (with arith-ops.ts and meta-ops.ts), each taking the lock it needs, deciding what the command means and
 * asking the store's memory ({@link ItemMemory}) to do it. A store extends {@link ItemCommands}
 * with where its items live: phases 1–3's SharedStore over an arena (arena-items.ts), phase 4's
 * SlabStore over slabs with LRUs and eviction (phases/phase4/slab/).
 * @module
 */
import { itemTotalSize } from './item-size.ts';
import { AtomicsLock } from './atomics-lock.ts';
import { expiresAt } from './exptime.ts';
import type { ItemMemory } from './item-memory.ts';
import { ITEM_KEY_BINARY, ITEM_STALE, ITEM_TOKEN_SENT, LOCK, MAX_ITEM_SIZE, STAT } from './layout.ts';
import { incrDecrLocked } from './arith-ops.ts';
import { inspectLocked, metaDeleteLocked, metaGetLocked, ttlSeconds } from './meta-ops.ts';
import { checkCounter, checkExptime, checkFlags, keyHash } from './store-arguments.ts';
import type { StoreMemory } from './store-memory.ts';
import {
  ArithResult, DeleteResult, StoreMode, StoreResult,
  type ArithCreate, type ArithOutcome, type HitSink, type Item, type ItemInspection, type MetaArithOutcome, type MetaArithRequest,
  type MetaDeleteRequest, type MetaGetRequest, type MetaGetResult, type SizeClassReport, type Store, type StoreExtras,
  type StoreOutcome, type StoreStats,
} from './store.ts';

// Outcomes without a CAS are shared constants, so the common failures allocate nothing.
const NOT_STORED: StoreOutcome = Object.freeze({ result: StoreResult.NotStored, cas: 0n });
const EXISTS: StoreOutcome = Object.freeze({ result: StoreResult.Exists, cas: 0n });
const NOT_FOUND: StoreOutcome = Object.freeze({ result: StoreResult.NotFound, cas: 0n });
const TOO_LARGE: StoreOutcome = Object.freeze({ result: StoreResult.TooLarge, cas: 0n });
const NO_MEMORY: StoreOutcome = Object.freeze({ result: StoreResult.NoMemory, cas: 0n });

/**
 * A {@link Store} whose commands run over `I`, the store's memory. Every public method takes the
 * lock once, reads the clock under it ({@link ItemCommands.beginLocked}) and decides; a subclass
 * supplies the memory and its statistics.
 *
 * Locking: by default ONE lock guards the whole store — its AtomicsLock on the header's LOCK word,
 * shared by every thread attached to the buffer. It is simple and plainly correct, and it makes
 * every worker queue on one word — the phase 1 guide measures the cost. A command names what it
 * locks — one key (`lockKey`) or the whole store
 * (`lockWhole`) — so a store can lock less: phase 4's slab store takes only
 * the key's stripe (phases/phase4/slab/slab-locks.ts).
 */
export abstract class ItemCommands<I extends ItemMemory> implements Store {
  /** The shared memory: pass it to the store's `attach` in another thread. */
  readonly buffer: SharedArrayBuffer;
  readonly maxItemSize: number;
  /** The store's one lock. */
  protected readonly lock: AtomicsLock;
  /** Where the items live. */
  protected readonly items: I;
  /** The clock, in ms since the Unix epoch. */
  protected readonly now: () => number;

  protected constructor(mem: StoreMemory, items: I, now: (() => number) | undefined) {
    this.buffer = mem.buffer;
    this.maxItemSize = mem.u32(MAX_ITEM_SIZE);
    // LOCK is a byte offset; Int32Array wants an element index.
    this.lock = new AtomicsLock(mem.i32, LOCK >>> 2);
    this.items = items;
    this.now = now ?? Date.now;
  }

  /** A get's lookup under the key's lock: counts the get, and its hit or miss; 0 on a miss. */
  private findCountedLocked(key: string, hash: number, now: number): number {
    const items = this.items;
    items.count(STAT.cmd_get);
    const item = items.findLiveLocked(key, hash, now);
    items.count(item === 0 ? STAT.get_misses : STAT.get_hits);
    return item;
  }

  get(key: string): Item | undefined {
    const hash = keyHash(key);
    this.lockKey(hash);
    try {
      const now = this.beginLocked();
      const item = this.findCountedLocked(key, hash, now);
      return item === 0 ? undefined : this.items.readLocked(item, key, now);
    } finally {
      this.unlockKey(hash);
    }
  }

  getInto(key: string, sink: HitSink): boolean {
    const hash = keyHash(key);
    this.lockKey(hash);
    try {
      // Counted as get() counts; only what a hit is handed as differs (ItemFields.handLocked).
      const now = this.beginLocked();
      const item = this.findCountedLocked(key, hash, now);
      if (item !== 0) this.items.handLocked(item, key, now, sink);
      return item !== 0;
    } finally {
      this.unlockKey(hash);
    }
  }

  getAndTouch(key: string, exptime: number): Item | undefined {
    const hash = keyHash(key);
    checkExptime(exptime);
    this.lockKey(hash);
    try {
      // memcached counts gat/gats as touches (cmd_touch, touch_hits), not as gets.
      const now = this.beginLocked();
      const item = this.touchLocked(key, hash, exptime, now);
      return item === 0 ? undefined : this.items.readLocked(item, key, now);
    } finally {
      this.unlockKey(hash);
    }
  }

  touch(key: string, exptime: number): boolean {
    const hash = keyHash(key);
    checkExptime(exptime);
    this.lockKey(hash);
    try {
      return this.touchLocked(key, hash, exptime, this.beginLocked()) !== 0;
    } finally {
      this.unlockKey(hash);
    }
  }

  store(mode: StoreMode, key: string, flags: number, exptime: number, value: Uint8Array, casUnique = 0n, extras?: StoreExtras): StoreOutcome {
    const hash = keyHash(key);
    checkFlags(flags);
    checkExptime(exptime);
    const tooLarge = itemTotalSize(key.length, value.length) > this.maxItemSize;
    this.lockKey(hash);
    try {
      const items = this.items;
      const now = this.beginLocked();
      if (tooLarge) {
        // memcached counts no cmd_set here, and a failed *set* drops the old value rather than
        // leave it to be served as if it were current (measured on 1.6.18).
        if (mode === StoreMode.Set) this.deleteLocked(key, hash, now);
        return TOO_LARGE;
      }
      items.count(STAT.cmd_set);
      const old = items.findLiveLocked(key, hash, now);
      const explicitCas = extras?.explicitCas ?? 0n;
      let bits = extras?.binaryKey === true ? ITEM_KEY_BINARY : 0;
      let expires = expiresAt(exptime, now);
      switch (mode) {
        case StoreMode.Add:
          if (old !== 0) return NOT_STORED;
          break;
        case StoreMode.Replace:
          if (old === 0) return NOT_STORED;
          break;
        case StoreMode.Append:
        case StoreMode.Prepend:
          if (old === 0) return NOT_STORED;
          if (casUnique !== 0n && items.cas(old) !== casUnique) return EXISTS;
          return this.concatLocked(mode === StoreMode.Append, old, key, hash, value, now, explicitCas, bits);
        case StoreMode.Cas:
          if (old === 0) {
            items.count(STAT.cas_misses);
            return NOT_FOUND;
          }
          // No item has CAS 0, so `cas k … 0` is EXISTS, as in memcached.
          if (items.cas(old) !== casUnique) {
            // ms's I: an older CAS still stores, but stale, keeping the expiry and any win handed out.
            const stale = extras?.invalidate === true && casUnique !== 0n && casUnique < items.cas(old);
            if (!stale) {
              items.count(STAT.cas_badval);
              return EXISTS;
            }
            bits |= ITEM_STALE | (items.bits(old) & ITEM_TOKEN_SENT);
            expires = items.expiresAt(old);
          }
          items.count(STAT.cas_hits);
          break;
        case StoreMode.Set:
          break;
      }
      const block = items.reserveLocked(old, key.length, value.length, now);
      if (block === 0) {
        // Like a too-large set, a set that finds no memory drops the old value (memcached does).
        if (mode === StoreMode.Set && old !== 0) items.removeLocked(old);
        return NO_MEMORY;
      }
      items.writeValueLocked(block, key.length, 0, value);
      const cas = items.commitLocked(old, block, key, hash, flags, expires, value.length, now, explicitCas, bits);
      return { result: StoreResult.Stored, cas };
    } finally {
      this.unlockKey(hash);
    }
  }

  refuseTooLarge(mode: StoreMode, key: string): void {
    if (mode !== StoreMode.Set) return;
    const hash = keyHash(key);
    this.lockKey(hash);
    try {
      this.deleteLocked(key, hash, this.beginLocked());
    } finally {
      this.unlockKey(hash);
    }
  }

  delete(key: string): boolean {
    return this.deleteIfUnchanged(key, 0n) === DeleteResult.Deleted;
  }

  deleteIfUnchanged(key: string, casUnique: bigint): DeleteResult {
    const hash = keyHash(key);
    this.lockKey(hash);
    try {
      const items = this.items;
      const item = items.findLiveLocked(key, hash, this.beginLocked());
      if (item === 0) {
        items.count(STAT.delete_misses);
        return DeleteResult.NotFound;
      }
      if (casUnique !== 0n && items.cas(item) !== casUnique) return DeleteResult.Exists;
      items.removeLocked(item);
      items.count(STAT.delete_hits);
      return DeleteResult.Deleted;
    } finally {
      this.unlockKey(hash);
    }
  }

  incrDecr(key: string, incr: boolean, delta: bigint, create?: ArithCreate, casUnique = 0n): ArithOutcome {
    const hash = keyHash(key);
    checkCounter('delta', delta);
    if (create !== undefined) {
      checkCounter('create.initial', create.initial);
      checkExptime(create.exptime);
    }
    this.lockKey(hash);
    try {
      return incrDecrLocked(this.items, key, hash, incr, delta, create, casUnique, undefined, 0n, this.beginLocked());
    } finally {
      this.unlockKey(hash);
    }
  }

  metaArith(key: string, request: MetaArithRequest): MetaArithOutcome {
    const hash = keyHash(key);
    const { incr, delta, create, compareCas, touch, explicitCas = 0n } = request;
    checkCounter('delta', delta);
    if (create !== undefined) {
      checkCounter('create.initial', create.initial);
      checkExptime(create.exptime);
    }
    if (touch !== undefined) checkExptime(touch);
    this.lockKey(hash);
    try {
      const items = this.items;
      const now = this.beginLocked();
      const found = items.findLiveLocked(key, hash, now);
      const ttlBefore = found === 0 ? -1 : ttlSeconds(items.expiresAt(found), now);
      const outcome = incrDecrLocked(this.items, key, hash, incr, delta, create, compareCas, touch, explicitCas, now);
      if (outcome.result !== ArithResult.Ok) return { ...outcome, ttlBefore: -1, ttl: -1, created: false };
      const item = items.findLiveLocked(key, hash, now);
      return { ...outcome, ttlBefore, ttl: ttlSeconds(items.expiresAt(item), now), created: found === 0 };
    } finally {
      this.unlockKey(hash);
    }
  }

  metaGet(key: string, request: MetaGetRequest): MetaGetResult | undefined {
    const hash = keyHash(key);
    if (request.touch !== undefined) checkExptime(request.touch);
    if (request.vivify !== undefined) checkExptime(request.vivify);
    if (request.recache !== undefined) checkExptime(request.recache);
    this.lockKey(hash);
    try {
      return metaGetLocked(this.items, key, hash, this.beginLocked(), request);
    } finally {
      this.unlockKey(hash);
    }
  }

  metaDelete(key: string, request: MetaDeleteRequest): DeleteResult {
    const hash = keyHash(key);
    if (request.touch !== undefined) checkExptime(request.touch);
    this.lockKey(hash);
    try {
      return metaDeleteLocked(this.items, key, hash, this.beginLocked(), request);
    } finally {
      this.unlockKey(hash);
    }
  }

  inspect(key: string): ItemInspection | undefined {
    const hash = keyHash(key);
    this.lockKey(hash);
    try {
      return inspectLocked(this.items, key, hash, this.beginLocked());
    } finally {
      this.unlockKey(hash);
    }
  }

  flushAll(delaySeconds = 0): void {
    checkExptime(delaySeconds);
    this.lockWhole();
    try {
      const now = this.beginLocked();
      this.items.count(STAT.cmd_flush);
      this.items.flushLocked(delaySeconds, now);
    } finally {
      this.unlockWhole();
    }
  }

  stats(): StoreStats {
    this.lockWhole();
    try {
      return this.statsLocked(this.beginLocked());
    } finally {
      this.unlockWhole();
    }
  }

  sizeClassStats(): SizeClassReport {
    this.lockWhole();
    try {
      return this.sizeClassStatsLocked(this.beginLocked());
    } finally {
      this.unlockWhole();
    }
  }

  resetStats(): void {
    this.lockWhole();
    try {
      this.resetStatsLocked();
    } finally {
      this.unlockWhole();
    }
  }

  // ───────────── Locking: one lock here; a store with finer locks overrides these four. ─────────────

  /** Takes the lock a command on the key whose hash is `hash` needs. */
  protected lockKey(_hash: number): void {
    this.lock.lock();
  }

  /** Releases what `lockKey` took. */
  protected unlockKey(_hash: number): void {
    this.lock.unlock();
  }

  /** Takes what a command on the whole store needs (flush_all, stats): nothing else runs meanwhile. */
  protected lockWhole(): void {
    this.lock.lock();
  }

  /** Releases what `lockWhole` took. */
  protected unlockWhole(): void {
    this.lock.unlock();
  }

  /** The counters and the memory's figures for `stats`. */
  protected abstract statsLocked(now: number): StoreStats;
  /** The figures of every size class in use, for `stats slabs` and `stats items`. */
  protected abstract sizeClassStatsLocked(now: number): SizeClassReport;
  /** `stats reset`: zeroes the counters of events, keeps those of the present. */
  protected abstract resetStatsLocked(): void;

  // ───────────── Below: helpers that expect the lock held (the `Locked` suffix says so). ─────────────

  /** Every operation starts here: reads the clock (under the lock, so time follows lock order). */
  protected beginLocked(): number {
    const now = this.now();
    this.items.applyDueFlushLocked(now);
    return now;
  }

  /** touch and gat: sets a live item's expiry and counts the touch. Returns the item, or 0. */
  private touchLocked(key: string, hash: number, exptime: number, now: number): number {
    const items = this.items;
    items.count(STAT.cmd_touch);
    const item = items.findLiveLocked(key, hash, now);
    items.count(item === 0 ? STAT.touch_misses : STAT.touch_hits);
    if (item !== 0) items.setExpiresAtLocked(item, expiresAt(exptime, now));
    return item;
  }

  private deleteLocked(key: string, hash: number, now: number): boolean {
    const item = this.items.findLiveLocked(key, hash, now);
    if (item !== 0) this.items.removeLocked(item);
    return item !== 0;
  }

  /** append/prepend: the old value and `chunk` become one new value; the old flags and expiry stay. */
  private concatLocked(
    append: boolean, old: number, key: string, hash: number, chunk: Uint8Array, now: number, explicitCas: bigint, bits: number,
  ): StoreOutcome {
    const items = this.items;
    const oldLength = items.valueLength(old);
    const length = oldLength + chunk.length;
    // memcached answers NOT_STORED (not "too large") when only the combined value is too big.
    if (itemTotalSize(key.length, length) > this.maxItemSize) return NOT_STORED;
    const block = items.reserveLocked(old, key.length, length, now);
    if (block === 0) return NO_MEMORY;
    // The old value first (moved up by the chunk's length for prepend; a no-op when appending in
    // place), then the chunk beside it.
    items.moveValueLocked(old, block, key.length, append ? 0 : chunk.length);
    items.writeValueLocked(block, key.length, append ? oldLength : 0, chunk);
    const cas = items.commitLocked(old, block, key, hash, items.flags(old), items.expiresAt(old), length, now, explicitCas, bits);
    return { result: StoreResult.Stored, cas };
  }
}
