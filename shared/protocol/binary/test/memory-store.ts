/**
 * A small in-memory {@link Store} for the codec's tests: memcached's item semantics over a Map,
 * with a clock the test controls. It is single-threaded and unbounded; the real store lives in a
 * SharedArrayBuffer (shared/store/).
 * @module
 */
import { itemTotalSize, DEFAULT_MAX_ITEM_SIZE } from '../../limits.ts';
import {
  ArithResult, DeleteResult, StoreMode, StoreResult,
  type ArithCreate, type ArithOutcome, type Item, type ItemInspection, type MetaArithOutcome, type MetaArithRequest,
  type MetaDeleteRequest, type MetaGetRequest, type MetaGetResult, type Store, type StoreExtras, type StoreOutcome,
  type SizeClassReport, type StoreStats,
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
  /** Meta state: read since stored, last access (Unix seconds), stale, recache win handed out, base64 key. */
  fetched: boolean;
  accessedAt: number;
  stale: boolean;
  tokenSent: boolean;
  binaryKey: boolean;
}

function emptyStats(maxbytes: number): StoreStats {
  return {
    curr_items: 0, total_items: 0, bytes: 0, limit_maxbytes: maxbytes, evictions: 0, reclaimed: 0,
    expired_unfetched: 0, cmd_get: 0, cmd_set: 0, cmd_flush: 0, cmd_touch: 0, get_hits: 0, get_misses: 0,
    get_expired: 0, get_flushed: 0, delete_hits: 0, delete_misses: 0, incr_hits: 0, incr_misses: 0,
    decr_hits: 0, decr_misses: 0, cas_hits: 0, cas_misses: 0, cas_badval: 0, touch_hits: 0, touch_misses: 0,
    evicted_unfetched: 0, direct_reclaims: 0, hash_power_level: 0, hash_bytes: 0, hash_is_expanding: 0,
  };
}

/** Counters that describe the present, which a reset keeps. */
const KEPT: readonly (keyof StoreStats)[] = ['curr_items', 'bytes', 'limit_maxbytes', 'hash_power_level', 'hash_bytes', 'hash_is_expanding'];

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

  private put(key: string, flags: number, expiresAt: number, value: Buffer, explicitCas = 0n, meta: Partial<Entry> = {}): bigint {
    const old = this.items.get(key);
    if (old) this.remove(key, old);
    const cas = explicitCas !== 0n ? explicitCas : ++this.lastCas;
    const now = this.now();
    this.items.set(key, {
      flags, value, cas, expiresAt, storedAt: now, fetched: false, accessedAt: now, stale: false, tokenSent: false, binaryKey: false, ...meta,
    });
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
    entry.fetched = true;
    entry.accessedAt = this.now();
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

  store(mode: StoreMode, key: string, flags: number, exptime: number, value: Uint8Array, casUnique = 0n, extras: StoreExtras = {}): StoreOutcome {
    this.counters.cmd_set++;
    const fail = (result: StoreResult): StoreOutcome => ({ result, cas: 0n });
    const entry = this.live(key);
    const data = Buffer.from(value);
    const explicitCas = extras.explicitCas ?? 0n;
    const meta: Partial<Entry> = { binaryKey: extras.binaryKey === true };
    let expiresAt = this.expiry(exptime);
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
          if (!(extras.invalidate === true && casUnique !== 0n && casUnique < entry.cas)) {
            this.counters.cas_badval++;
            return fail(StoreResult.Exists);
          }
          // An older CAS with ms's I: stored, but stale, keeping the expiry and the win handed out.
          meta.stale = true;
          meta.tokenSent = entry.tokenSent;
          expiresAt = entry.expiresAt;
        }
        this.counters.cas_hits++;
        break;
      case StoreMode.Append:
      case StoreMode.Prepend: {
        if (!entry) return fail(StoreResult.NotStored);
        if (casUnique !== 0n && entry.cas !== casUnique) return fail(StoreResult.Exists);
        const joined = mode === StoreMode.Append ? Buffer.concat([entry.value, data]) : Buffer.concat([data, entry.value]);
        if (itemTotalSize(key.length, joined.length) > this.maxItemSize) return fail(StoreResult.TooLarge);
        return { result: StoreResult.Stored, cas: this.put(key, entry.flags, entry.expiresAt, joined, explicitCas, meta) };
      }
      case StoreMode.Set:
        break;
    }
    if (itemTotalSize(key.length, data.length) > this.maxItemSize) {
      this.refuseTooLarge(mode, key);
      return fail(StoreResult.TooLarge);
    }
    return { result: StoreResult.Stored, cas: this.put(key, flags, expiresAt, data, explicitCas, meta) };
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

  metaGet(key: string, request: MetaGetRequest): MetaGetResult | undefined {
    const touches = request.touch !== undefined;
    this.counters[touches ? 'cmd_touch' : 'cmd_get']++;
    let entry = this.live(key);
    let created = false;
    if (entry === undefined && request.vivify !== undefined) {
      this.put(key, 0, 0, Buffer.alloc(0), request.explicitCas ?? 0n, { tokenSent: true });
      entry = this.items.get(key)!;
      created = true;
    }
    if (entry === undefined) {
      this.counters[touches ? 'touch_misses' : 'get_misses']++;
      return undefined;
    }
    this.counters[touches ? 'touch_hits' : 'get_hits']++;
    const now = this.now();
    const before = entry.expiresAt;
    const fetchedBefore = entry.fetched;
    const idleSeconds = now - entry.accessedAt;
    if (created) entry.expiresAt = this.expiry(request.vivify!);
    else if (touches) entry.expiresAt = this.expiry(request.touch);
    const tokenSent = !created && entry.tokenSent;
    const recache = request.recache !== undefined && before !== 0 && before < this.expiry(request.recache);
    const won = created || (!tokenSent && (recache || entry.stale));
    if (won) entry.tokenSent = true;
    if (!request.noBump) {
      entry.fetched = true;
      entry.accessedAt = now;
    }
    const item = this.toItem(key, entry);
    return {
      item: request.withValue ? item : { ...item, value: Buffer.alloc(0) },
      valueLength: entry.value.length,
      ttlBefore: created ? -1 : this.ttl(before),
      ttl: this.ttl(entry.expiresAt),
      fetchedBefore, idleSeconds, created, won, stale: entry.stale, tokenSent, binaryKey: entry.binaryKey,
    };
  }

  metaDelete(key: string, request: MetaDeleteRequest): DeleteResult {
    const entry = this.live(key);
    if (entry === undefined || (request.compareCas !== undefined && entry.cas !== request.compareCas)) {
      this.counters.delete_misses++;
      return entry === undefined ? DeleteResult.NotFound : DeleteResult.Exists;
    }
    if (!request.invalidate) return this.deleteIfUnchanged(key, 0n);
    if (request.touch !== undefined) entry.expiresAt = this.expiry(request.touch);
    entry.stale = true;
    entry.tokenSent = false;
    entry.cas = request.explicitCas !== undefined && request.explicitCas !== 0n ? request.explicitCas : ++this.lastCas;
    return DeleteResult.Deleted;
  }

  metaArith(key: string, request: MetaArithRequest): MetaArithOutcome {
    const before = this.live(key);
    const ttlBefore = before === undefined ? -1 : this.ttl(before.expiresAt);
    const outcome = this.incrDecr(key, request.incr, request.delta, request.create, request.compareCas);
    const entry = this.items.get(key);
    if (outcome.result !== ArithResult.Ok || entry === undefined) return { ...outcome, ttlBefore: -1, ttl: -1, created: false };
    if (before !== undefined && request.touch !== undefined) entry.expiresAt = this.expiry(request.touch);
    if (request.explicitCas !== undefined && request.explicitCas !== 0n) entry.cas = request.explicitCas;
    return { ...outcome, cas: entry.cas, ttlBefore, ttl: this.ttl(entry.expiresAt), created: before === undefined };
  }

  inspect(key: string): ItemInspection | undefined {
    const entry = this.live(key);
    if (entry === undefined) return undefined;
    return {
      flags: entry.flags, cas: entry.cas, valueLength: entry.value.length, ttl: this.ttl(entry.expiresAt),
      idleSeconds: this.now() - entry.accessedAt, fetched: entry.fetched, sizeClass: 1, binaryKey: entry.binaryKey,
    };
  }

  /** Seconds to live, -1 for never (this store's clock is in whole seconds). */
  private ttl(expiresAt: number): number {
    return expiresAt === 0 ? -1 : Math.max(0, expiresAt - this.now());
  }

  stats(): StoreStats {
    return { ...this.counters };
  }

  /** A Map has no size classes. */
  sizeClassStats(): SizeClassReport {
    return { classes: [], totalMalloced: 0 };
  }

  resetStats(): void {
    for (const name of Object.keys(this.counters) as (keyof StoreStats)[]) if (!KEPT.includes(name)) this.counters[name] = 0;
  }
}
