/**
 * A small in-memory {@link Store} for the codec's tests: memcached's item semantics over a Map,
 * with a clock the test controls. It is single-threaded and unbounded; the real store lives in a
 * SharedArrayBuffer (shared/store/).
 * @module
 */
import { itemTotalSize, DEFAULT_MAX_ITEM_SIZE } from '../../limits.ts';
import {
  ArithResult, DeleteResult, StoreMode, StoreResult,
  type ArithCreate, type ArithOutcome, type Item, type Store, type StoreOutcome, type StoreStats,
} from '../../../store/store.ts';

/** memcached's boundary between relative exptimes (seconds from now) and absolute Unix times: 30 days. */
const MAX_RELATIVE_EXPTIME = 60 * 60 * 24 * 30;
/** incr wraps at 2^64, like memcached's u64 counters. */
const U64_MODULUS = 1n << 64n;
/** A counter is at most 20 decimal digits (2^64 − 1 has 20). */
const MAX_COUNTER_DIGITS = 20;

interface Entry {
  flags: number;
  value: Buffer;
  cas: bigint;
  /** Unix seconds after which the item is gone; 0 = never. */
  expiresAt: number;
  storedAt: number;
}

function emptyStats(maxbytes: number): StoreStats {
  return {
    curr_items: 0, total_items: 0, bytes: 0, limit_maxbytes: maxbytes, evictions: 0, reclaimed: 0,
    expired_unfetched: 0, cmd_get: 0, cmd_set: 0, cmd_flush: 0, cmd_touch: 0, get_hits: 0, get_misses: 0,
    get_expired: 0, get_flushed: 0, delete_hits: 0, delete_misses: 0, incr_hits: 0, incr_misses: 0,
    decr_hits: 0, decr_misses: 0, cas_hits: 0, cas_misses: 0, cas_badval: 0, touch_hits: 0, touch_misses: 0,
  };
}

/** Options for {@link MemoryStore}. */
export interface MemoryStoreOptions {
  maxItemSize?: number;
  /** The clock, in Unix seconds (default: the real one). */
  now?: () => number;
}

/** An in-memory Store for tests. */
export class MemoryStore implements Store {
  readonly maxItemSize: number;
  private readonly items = new Map<string, Entry>();
  private readonly counters: StoreStats;
  private readonly now: () => number;
  private lastCas = 0n;
  /** Items stored at or before this time are invalid once it has passed (flush_all with a delay). */
  private flushAt = -1;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxItemSize = options.maxItemSize ?? DEFAULT_MAX_ITEM_SIZE;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.counters = emptyStats(64 * 1024 * 1024);
  }

  private expiry(exptime: number): number {
    if (exptime === 0) return 0;
    if (exptime < 0) return this.now() - 1;
    return exptime <= MAX_RELATIVE_EXPTIME ? this.now() + exptime : exptime;
  }

  private live(key: string): Entry | undefined {
    const entry = this.items.get(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    const flushed = this.flushAt >= 0 && this.flushAt <= now && entry.storedAt <= this.flushAt;
    if (flushed || (entry.expiresAt !== 0 && entry.expiresAt <= now)) {
      this.remove(key, entry);
      return undefined;
    }
    return entry;
  }

  private remove(key: string, entry: Entry): void {
    this.items.delete(key);
    this.counters.curr_items--;
    this.counters.bytes -= entry.value.length;
  }

  private put(key: string, flags: number, expiresAt: number, value: Buffer): bigint {
    const old = this.items.get(key);
    if (old) this.remove(key, old);
    const cas = ++this.lastCas;
    this.items.set(key, { flags, value, cas, expiresAt, storedAt: this.now() });
    this.counters.curr_items++;
    this.counters.total_items++;
    this.counters.bytes += value.length;
    return cas;
  }

  private toItem(key: string, entry: Entry): Item {
    return { key, flags: entry.flags, value: Buffer.from(entry.value), cas: entry.cas };
  }

  get(key: string): Item | undefined {
    this.counters.cmd_get++;
    const entry = this.live(key);
    if (entry === undefined) {
      this.counters.get_misses++;
      return undefined;
    }
    this.counters.get_hits++;
    return this.toItem(key, entry);
  }

  getAndTouch(key: string, exptime: number): Item | undefined {
    this.counters.cmd_touch++;
    const entry = this.live(key);
    if (entry === undefined) {
      this.counters.touch_misses++;
      return undefined;
    }
    this.counters.touch_hits++;
    entry.expiresAt = this.expiry(exptime);
    return this.toItem(key, entry);
  }

  touch(key: string, exptime: number): boolean {
    return this.getAndTouch(key, exptime) !== undefined;
  }

  store(mode: StoreMode, key: string, flags: number, exptime: number, value: Uint8Array, casUnique = 0n): StoreOutcome {
    this.counters.cmd_set++;
    const fail = (result: StoreResult): StoreOutcome => ({ result, cas: 0n });
    const entry = this.live(key);
    const data = Buffer.from(value);
    switch (mode) {
      case StoreMode.Add:
        if (entry) return fail(StoreResult.NotStored);
        break;
      case StoreMode.Replace:
        if (!entry) return fail(StoreResult.NotStored);
        break;
      case StoreMode.Cas:
        if (!entry) {
          this.counters.cas_misses++;
          return fail(StoreResult.NotFound);
        }
        if (entry.cas !== casUnique) {
          this.counters.cas_badval++;
          return fail(StoreResult.Exists);
        }
        this.counters.cas_hits++;
        break;
      case StoreMode.Append:
      case StoreMode.Prepend: {
        if (!entry) return fail(StoreResult.NotStored);
        if (casUnique !== 0n && entry.cas !== casUnique) return fail(StoreResult.Exists);
        const joined = mode === StoreMode.Append ? Buffer.concat([entry.value, data]) : Buffer.concat([data, entry.value]);
        if (itemTotalSize(key.length, joined.length) > this.maxItemSize) return fail(StoreResult.TooLarge);
        return { result: StoreResult.Stored, cas: this.put(key, entry.flags, entry.expiresAt, joined) };
      }
      case StoreMode.Set:
        break;
    }
    if (itemTotalSize(key.length, data.length) > this.maxItemSize) {
      this.refuseTooLarge(mode, key);
      return fail(StoreResult.TooLarge);
    }
    return { result: StoreResult.Stored, cas: this.put(key, flags, this.expiry(exptime), data) };
  }

  refuseTooLarge(mode: StoreMode, key: string): void {
    const entry = mode === StoreMode.Set ? this.live(key) : undefined;
    if (entry !== undefined) this.remove(key, entry);
  }

  delete(key: string): boolean {
    return this.deleteIfUnchanged(key, 0n) === DeleteResult.Deleted;
  }

  deleteIfUnchanged(key: string, casUnique: bigint): DeleteResult {
    const entry = this.live(key);
    if (entry === undefined) {
      this.counters.delete_misses++;
      return DeleteResult.NotFound;
    }
    if (casUnique !== 0n && entry.cas !== casUnique) return DeleteResult.Exists;
    this.counters.delete_hits++;
    this.remove(key, entry);
    return DeleteResult.Deleted;
  }

  incrDecr(key: string, incr: boolean, delta: bigint, create?: ArithCreate, casUnique = 0n): ArithOutcome {
    const entry = this.live(key);
    if (entry !== undefined && casUnique !== 0n && entry.cas !== casUnique) return { result: ArithResult.Exists, value: 0n, cas: 0n };
    if (entry === undefined) {
      if (incr) this.counters.incr_misses++;
      else this.counters.decr_misses++;
      if (create === undefined) return { result: ArithResult.NotFound, value: 0n, cas: 0n };
      const cas = this.put(key, 0, this.expiry(create.exptime), Buffer.from(create.initial.toString(), 'latin1'));
      return { result: ArithResult.Ok, value: create.initial, cas };
    }
    const text = entry.value.toString('latin1');
    if (!/^\d+$/.test(text) || text.length > MAX_COUNTER_DIGITS || BigInt(text) >= U64_MODULUS) {
      return { result: ArithResult.NonNumeric, value: 0n, cas: 0n };
    }
    if (incr) this.counters.incr_hits++;
    else this.counters.decr_hits++;
    const current = BigInt(text);
    const value = incr ? (current + delta) % U64_MODULUS : current > delta ? current - delta : 0n;
    const cas = this.put(key, entry.flags, entry.expiresAt, Buffer.from(value.toString(), 'latin1'));
    return { result: ArithResult.Ok, value, cas };
  }

  flushAll(delaySeconds = 0): void {
    this.counters.cmd_flush++;
    if (delaySeconds > 0) {
      // Items stored up to that moment become invalid once it has passed.
      this.flushAt = this.expiry(delaySeconds);
      return;
    }
    for (const [key, entry] of [...this.items]) this.remove(key, entry);
  }

  stats(): StoreStats {
    return { ...this.counters };
  }
}
