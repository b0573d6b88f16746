/**
 * The obvious model of memcached's item semantics that the model-based test holds SharedStore to:
 * a Map of plain objects, expiry checked on access, a delayed flush applied eagerly when due. It
 * shares no code with the store beyond the contract's types and memcached's size formula.
 */
import { itemTotalSize } from '../../protocol/limits.ts';
import {
  ArithResult, StoreMode, StoreResult,
  type ArithCreate, type ArithOutcome, type Item, type StoreOutcome, type StoreStats,
} from '../store.ts';

interface ModelItem {
  flags: number;
  value: Buffer;
  cas: bigint;
  expiresAt: number;
  storedAt: number;
}

/** The counters the model keeps (those that do not depend on when expired items are noticed). */
export type ModelCounter = Exclude<keyof StoreStats,
  'curr_items' | 'bytes' | 'limit_maxbytes' | 'evictions' | 'reclaimed' | 'expired_unfetched' | 'get_expired' | 'get_flushed' |
  'evicted_unfetched' | 'direct_reclaims' | 'hash_power_level' | 'hash_bytes' | 'hash_is_expanding'>;

const THIRTY_DAYS = 2_592_000;
const MAX_U64 = 2n ** 64n - 1n;
/** memcached's reading of a number: C isspace(), an optional sign, digits, then a space, NUL or the end. */
const NUMBER = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)(?:[ \t\n\v\f\r\0][\s\S]*)?$/;

/** A Map-backed model of the Store contract, on the same clock as the store under test. */
export class MapModel {
  readonly counters: Record<ModelCounter, number> = {
    total_items: 0, cmd_get: 0, cmd_set: 0, cmd_flush: 0, cmd_touch: 0, get_hits: 0, get_misses: 0,
    delete_hits: 0, delete_misses: 0, incr_hits: 0, incr_misses: 0, decr_hits: 0, decr_misses: 0,
    cas_hits: 0, cas_misses: 0, cas_badval: 0, touch_hits: 0, touch_misses: 0,
  };
  private readonly items = new Map<string, ModelItem>();
  private nextCas = 1n;
  private flushAt = 0;

  constructor(private readonly maxItemSize: number, private readonly now: () => number) {}

  /** The live item's CAS, or 0 (for the test to build cas commands). */
  casOf(key: string): bigint {
    return this.live(key)?.cas ?? 0n;
  }

  get(key: string): Item | undefined {
    this.counters.cmd_get++;
    const item = this.live(key);
    this.counters[item ? 'get_hits' : 'get_misses']++;
    return item && { key, flags: item.flags, value: Buffer.from(item.value), cas: item.cas };
  }

  getAndTouch(key: string, exptime: number): Item | undefined {
    const item = this.touchItem(key, exptime);
    return item && { key, flags: item.flags, value: Buffer.from(item.value), cas: item.cas };
  }

  touch(key: string, exptime: number): boolean {
    return this.touchItem(key, exptime) !== undefined;
  }

  store(mode: StoreMode, key: string, flags: number, exptime: number, value: Buffer, casUnique: bigint): StoreOutcome {
    const refuse = (result: StoreResult): StoreOutcome => ({ result, cas: 0n });
    const old = this.live(key);
    if (itemTotalSize(key.length, value.length) > this.maxItemSize) {
      if (mode === StoreMode.Set) this.items.delete(key);
      return refuse(StoreResult.TooLarge);
    }
    this.counters.cmd_set++;
    if (mode === StoreMode.Add && old) return refuse(StoreResult.NotStored);
    if ((mode === StoreMode.Replace || mode === StoreMode.Append || mode === StoreMode.Prepend) && !old) return refuse(StoreResult.NotStored);
    if (mode === StoreMode.Cas) {
      if (!old) return (this.counters.cas_misses++, refuse(StoreResult.NotFound));
      if (old.cas !== casUnique) return (this.counters.cas_badval++, refuse(StoreResult.Exists));
      this.counters.cas_hits++;
    }
    if ((mode === StoreMode.Append || mode === StoreMode.Prepend) && old) {
      // A non-zero CAS on append/prepend (the binary protocol's) must match, like cas.
      if (casUnique !== 0n && old.cas !== casUnique) return refuse(StoreResult.Exists);
      const joined = mode === StoreMode.Append ? Buffer.concat([old.value, value]) : Buffer.concat([value, old.value]);
      if (itemTotalSize(key.length, joined.length) > this.maxItemSize) return refuse(StoreResult.NotStored);
      return { result: StoreResult.Stored, cas: this.put(key, old.flags, old.expiresAt, joined) };
    }
    return { result: StoreResult.Stored, cas: this.put(key, flags, this.expiry(exptime), value) };
  }

  delete(key: string): boolean {
    const found = this.live(key) !== undefined;
    this.items.delete(key);
    this.counters[found ? 'delete_hits' : 'delete_misses']++;
    return found;
  }

  incrDecr(key: string, incr: boolean, delta: bigint, create?: ArithCreate): ArithOutcome {
    const old = this.live(key);
    if (!old) {
      if (!create) return (this.counters[incr ? 'incr_misses' : 'decr_misses']++, { result: ArithResult.NotFound, value: 0n, cas: 0n });
      const cas = this.put(key, 0, this.expiry(create.exptime), Buffer.from(create.initial.toString(), 'latin1'));
      return { result: ArithResult.Ok, value: create.initial, cas };
    }
    const match = NUMBER.exec(old.value.toString('latin1'));
    const current = match ? BigInt(match[2]!) : undefined;
    if (current === undefined || current > MAX_U64 || (match![1] === '-' && current !== 0n)) {
      return { result: ArithResult.NonNumeric, value: 0n, cas: 0n };
    }
    this.counters[incr ? 'incr_hits' : 'decr_hits']++;
    const value = incr ? (current + delta) % (MAX_U64 + 1n) : current > delta ? current - delta : 0n;
    const digits = value.toString();
    if (digits.length <= old.value.length) {
      // Rewritten in place, padded with spaces: the item is not replaced, so total_items stays.
      old.value = Buffer.from(digits.padEnd(old.value.length, ' '), 'latin1');
      old.cas = this.nextCas++;
      old.storedAt = this.now();
      return { result: ArithResult.Ok, value, cas: old.cas };
    }
    return { result: ArithResult.Ok, value, cas: this.put(key, old.flags, old.expiresAt, Buffer.from(digits, 'latin1')) };
  }

  flushAll(delaySeconds: number): void {
    this.applyDueFlush();
    this.counters.cmd_flush++;
    if (delaySeconds > 0) {
      this.flushAt = this.expiry(delaySeconds);
    } else {
      this.items.clear();
      this.flushAt = 0;
    }
  }

  private put(key: string, flags: number, expiresAt: number, value: Buffer): bigint {
    const cas = this.nextCas++;
    this.items.set(key, { flags, value: Buffer.from(value), cas, expiresAt, storedAt: this.now() });
    this.counters.total_items++;
    return cas;
  }

  private touchItem(key: string, exptime: number): ModelItem | undefined {
    this.counters.cmd_touch++;
    const item = this.live(key);
    this.counters[item ? 'touch_hits' : 'touch_misses']++;
    if (item) item.expiresAt = this.expiry(exptime);
    return item;
  }

  private live(key: string): ModelItem | undefined {
    this.applyDueFlush();
    const item = this.items.get(key);
    if (item && item.expiresAt !== 0 && item.expiresAt <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return item;
  }

  /** A delayed flush, once due, removes everything stored before its time. */
  private applyDueFlush(): void {
    if (this.flushAt === 0 || this.flushAt > this.now()) return;
    for (const [key, item] of this.items) if (item.storedAt < this.flushAt) this.items.delete(key);
    this.flushAt = 0;
  }

  private expiry(exptime: number): number {
    if (exptime === 0) return 0;
    if (exptime < 0) return -1;
    return exptime <= THIRTY_DAYS ? this.now() + exptime * 1000 : exptime * 1000;
  }
}
