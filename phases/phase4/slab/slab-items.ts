/**
 * The items of a slab store (memcached's items.c): lookup with lazy expiry, reserving chunks for a
 * new version (slab-room.ts makes room when a class is full), writing values — contiguous in one
 * chunk, or spread over data chunks for an item above the chunk maximum — linking into the hash
 * table and the class's LRU, removal, flushes and counters. Every method expects the store's lock.
 * @module
 */
import { HashTable } from '../../../shared/store/hash-table.ts';
import { itemTotalSize } from '../../../shared/store/item-size.ts';
import { expiresAt, isExpired, NEVER } from '../../../shared/store/exptime.ts';
import {
  FLUSH_AT, FLUSH_EPOCH, ITEM_ACCESSED_AT, ITEM_BITS, ITEM_CAS, ITEM_CLASS, ITEM_EPOCH, ITEM_EXPIRES_AT, ITEM_FETCHED,
  ITEM_FLAGS, ITEM_HASH, ITEM_KEY, ITEM_KEY_LENGTH, ITEM_VALUE_LENGTH, NEXT_CAS, STAT, statSlot,
} from '../../../shared/store/layout.ts';
import type { StoreMemory } from '../../../shared/store/store-memory.ts';
import type { Item } from '../../../shared/store/store.ts';
import { SlabAllocator } from './slab-allocator.ts';
import type { SlabClass } from './slab-class-spec.ts';
import { classFor } from './slab-classes.ts';
import {
  CHUNK_BITS, CHUNK_DATA, CHUNK_HEADER, CLASS_COUNTER, CLASS_NEXT_EXPIRY, classSlot, DATA_BYTES, DATA_LENGTH, DATA_NEXT,
  DATA_OWNER, ITEM_CHUNKED, ITEM_LINKED, LRU_PREFIX, SLAB_BUMP_INTERVAL,
} from './slab-layout.ts';
import { SlabLru } from './slab-lru.ts';
import { SlabRoom } from './slab-room.ts';

/** Items by offset (0 = none). The `Locked` suffix on every method: the caller holds the lock. */
export class SlabItems {
  readonly mem: StoreMemory;
  readonly allocator: SlabAllocator;
  readonly lru: SlabLru;
  readonly table: HashTable;
  /** The class table, read back from the header (chunk sizes), for choosing a class. */
  readonly classes: readonly SlabClass[];
  private readonly room: SlabRoom;
  private readonly base: number;

  constructor(mem: StoreMemory, base: number) {
    this.mem = mem;
    this.base = base;
    this.table = new HashTable(mem);
    this.allocator = new SlabAllocator(mem, base);
    this.lru = new SlabLru(mem, base);
    const classes: SlabClass[] = [];
    for (let index = 0; index < this.allocator.classCount; index++) {
      classes.push({ id: index + 1, chunkSize: this.allocator.chunkSize(index), chunksPerPage: this.allocator.perPage(index) });
    }
    this.classes = classes;
    this.room = new SlabRoom(this);
  }

  // ───────────── Looking items up ─────────────

  /** The live item for `key`, or 0; a flushed or expired one is removed on the spot (lazy expiry). */
  findLiveLocked(key: string, hash: number, now: number): number {
    const item = this.table.findLocked(key, hash);
    if (item === 0) return 0;
    if (this.isFlushed(item)) {
      this.removeLocked(item);
      this.count(STAT.get_flushed);
      return 0;
    }
    if (isExpired(this.expiresAt(item), now)) {
      this.removeLocked(item);
      this.count(STAT.get_expired);
      return 0;
    }
    return item;
  }

  /** Whether `item` was stored before the last flush_all. */
  isFlushed(item: number): boolean {
    return this.mem.u32(item + ITEM_EPOCH) !== this.mem.u32(FLUSH_EPOCH);
  }

  /** A private copy of `item`; marks it fetched and accessed `now`, and bumps it in its LRU. */
  readLocked(item: number, key: string, now: number): Item {
    this.bumpLocked(item, now);
    return this.copyLocked(item, key, true);
  }

  /** A private copy of `item`, its value left empty unless `withValue`; changes nothing. */
  copyLocked(item: number, key: string, withValue: boolean): Item {
    const value = Buffer.allocUnsafe(withValue ? this.valueLength(item) : 0);
    if (withValue) this.copyValueLocked(item, value, 0);
    return { key, flags: this.flags(item), value, cas: this.cas(item) };
  }

  /** Copies `item`'s whole value into `target` at `at`. */
  copyValueLocked(item: number, target: Buffer, at: number): void {
    const bytes = this.mem.bytes;
    if (!this.isChunked(item)) {
      const start = this.valueStart(item);
      bytes.copy(target, at, start, start + this.valueLength(item));
      return;
    }
    for (let chunk = this.firstData(item); chunk !== 0; chunk = this.mem.u32(chunk + DATA_NEXT)) {
      const length = this.mem.u32(chunk + DATA_LENGTH);
      bytes.copy(target, at, chunk + DATA_BYTES, chunk + DATA_BYTES + length);
      at += length;
    }
  }

  /** A fetch: marks the item fetched and accessed, and moves it up its LRU once per bump interval. */
  bumpLocked(item: number, now: number): void {
    const mem = this.mem;
    mem.setU8(item + ITEM_BITS, mem.u8(item + ITEM_BITS) | ITEM_FETCHED);
    mem.setF64(item + ITEM_ACCESSED_AT, now);
    this.lru.bumpLocked(this.sizeClass(item), item, now, mem.f64(this.base + SLAB_BUMP_INTERVAL));
  }

  /** `item`'s bit flags. */
  bits(item: number): number {
    return this.mem.u8(item + ITEM_BITS);
  }

  /** Replaces `item`'s item flags (ITEM_FETCHED, ITEM_STALE, …), keeping those of its chunk. */
  setBitsLocked(item: number, bits: number): void {
    this.mem.setU8(item + ITEM_BITS, (bits & ~CHUNK_BITS) | (this.bits(item) & CHUNK_BITS));
  }

  /** When `item` was last written or fetched (ms). */
  accessedAt(item: number): number {
    return this.mem.f64(item + ITEM_ACCESSED_AT);
  }

  /** The class index (id − 1) of `item`'s chunk. */
  sizeClass(item: number): number {
    return this.mem.u8(item + ITEM_CLASS);
  }

  /** Whether `item`'s value is spread over data chunks. */
  isChunked(item: number): boolean {
    return (this.bits(item) & ITEM_CHUNKED) !== 0;
  }

  /** Byte offset of a contiguous (not chunked) item's value. */
  valueStart(item: number): number {
    return item + ITEM_KEY + this.mem.u16(item + ITEM_KEY_LENGTH);
  }

  /** `item`'s value length. */
  valueLength(item: number): number {
    return this.mem.u32(item + ITEM_VALUE_LENGTH);
  }

  /** `item`'s client flags. */
  flags(item: number): number {
    return this.mem.u32(item + ITEM_FLAGS);
  }

  /** `item`'s CAS value. */
  cas(item: number): bigint {
    return this.mem.u64(item + ITEM_CAS);
  }

  /** When `item` expires (ms), or NEVER. */
  expiresAt(item: number): number {
    return this.mem.f64(item + ITEM_EXPIRES_AT);
  }

  // ───────────── Writing items ─────────────

  /** Sets `item`'s expiry time, keeping its class's earliest-expiry hint. */
  setExpiresAtLocked(item: number, expires: number): void {
    this.mem.setF64(item + ITEM_EXPIRES_AT, expires);
    if (expires === NEVER) return;
    const slot = this.base + classSlot(this.sizeClass(item), CLASS_NEXT_EXPIRY);
    const due = this.mem.f64(slot);
    if (due === NEVER || expires < due) this.mem.setF64(slot, expires);
  }

  /**
   * Chunks for the next version of a key, `keyLength` + `valueLength` bytes: `old`'s own chunk
   * when the new version fits the same class (rewritten in place), else fresh ones, making room
   * as the store's policy says (slab-room.ts); 0 when none can be had. `old` is 0 for a new key.
   */
  reserveLocked(old: number, keyLength: number, valueLength: number, now: number): number {
    const contiguous = LRU_PREFIX + ITEM_KEY + keyLength + valueLength;
    const largest = this.classes.length - 1;
    if (contiguous <= this.classes[largest]!.chunkSize) {
      const index = classFor(this.classes, contiguous);
      if (old !== 0 && !this.isChunked(old) && this.sizeClass(old) === index) return old;
      return this.room.allocLocked(index, old, now);
    }
    return this.reserveChunkedLocked(old, keyLength, valueLength, now);
  }

  /**
   * memcached's chunked item: a header chunk with the key and a link to the value's data chunks,
   * each a largest-class chunk except the last, which comes from the class that fits what is left.
   */
  private reserveChunkedLocked(old: number, keyLength: number, valueLength: number, now: number): number {
    const mem = this.mem;
    const largest = this.classes.length - 1;
    const head = this.room.allocLocked(classFor(this.classes, LRU_PREFIX + ITEM_KEY + alignUp4(keyLength) + 4), old, now);
    if (head === 0) return 0;
    mem.setU8(head + ITEM_BITS, ITEM_CHUNKED);
    mem.setU16(head + ITEM_KEY_LENGTH, keyLength);
    let link = this.firstDataSlot(head);
    mem.setU32(link, 0);
    const capacity = this.classes[largest]!.chunkSize - CHUNK_HEADER;
    for (let left = valueLength; left > 0;) {
      const length = Math.min(left, capacity);
      const index = length === capacity ? largest : classFor(this.classes, CHUNK_HEADER + length);
      const chunk = this.room.allocLocked(index, old, now);
      if (chunk === 0) {
        this.releaseChunksLocked(head);
        return 0;
      }
      mem.setU8(chunk + ITEM_BITS, CHUNK_DATA);
      mem.setU32(chunk + DATA_OWNER, head);
      mem.setU32(chunk + DATA_LENGTH, length);
      mem.setU32(chunk + DATA_NEXT, 0);
      mem.setU32(link, chunk);
      link = chunk + DATA_NEXT;
      left -= length;
    }
    return head;
  }

  /** Writes `source` into the value of reserved `block` (key of `keyLength`) starting at value byte `at`. */
  writeValueLocked(block: number, keyLength: number, at: number, source: Uint8Array): void {
    const bytes = this.mem.bytes;
    if (!this.isChunked(block)) {
      bytes.set(source, block + ITEM_KEY + keyLength + at);
      return;
    }
    let done = 0;
    let start = 0;
    for (let chunk = this.mem.u32(this.firstDataSlot(block, keyLength)); chunk !== 0 && done < source.length; chunk = this.mem.u32(chunk + DATA_NEXT)) {
      const length = this.mem.u32(chunk + DATA_LENGTH);
      if (at < start + length) {
        const from = Math.max(0, at - start);
        const count = Math.min(length - from, source.length - done);
        bytes.set(source.subarray(done, done + count), chunk + DATA_BYTES + from);
        done += count;
        at += count;
      }
      start += length;
    }
  }

  /**
   * Finishes a new version of `key` whose value is already in `block`: writes the header, swaps it
   * in for `old` (0 if none) in the hash table and at the head of its LRU, counts it. Returns the CAS.
   */
  commitLocked(
    old: number, block: number, key: string, hash: number, flags: number, expires: number, length: number, now: number,
    cas = 0n, bits = 0,
  ): bigint {
    const mem = this.mem;
    const index = this.sizeClass(block);
    if (block === old) {
      this.charge(old, -this.chargedSize(old));
      this.lru.unlinkLocked(index, block);
    } else {
      mem.setU32(block + ITEM_HASH, hash);
      mem.setU16(block + ITEM_KEY_LENGTH, key.length);
      mem.bytes.write(key, block + ITEM_KEY, 'latin1');
      if (old !== 0) this.removeLocked(old);
      this.table.linkLocked(block);
      this.add(STAT.curr_items, 1);
      this.allocator.addToClass(index, CLASS_COUNTER.items, 1);
    }
    this.lru.linkLocked(index, block, now);
    if (cas === 0n) cas = this.takeCasLocked();
    mem.setU8(block + ITEM_BITS, (bits & ~CHUNK_BITS) | (mem.u8(block + ITEM_BITS) & ITEM_CHUNKED) | ITEM_LINKED);
    mem.setU32(block + ITEM_FLAGS, flags);
    mem.setU32(block + ITEM_VALUE_LENGTH, length);
    mem.setU32(block + ITEM_EPOCH, mem.u32(FLUSH_EPOCH));
    mem.setU64(block + ITEM_CAS, cas);
    mem.setF64(block + ITEM_ACCESSED_AT, now);
    this.setExpiresAtLocked(block, expires);
    this.charge(block, this.chargedSize(block));
    this.count(STAT.total_items);
    return cas;
  }

  /** Marks `item`'s value as changed in place (incr/decr): a new CAS and access time. */
  markRewrittenLocked(item: number, now: number, cas = 0n): bigint {
    cas = this.renewCasLocked(item, cas);
    this.mem.setF64(item + ITEM_ACCESSED_AT, now);
    return cas;
  }

  /** Gives `item` a new CAS: `cas` when a client chose one (meta's E flag), else the next. */
  renewCasLocked(item: number, cas = 0n): bigint {
    if (cas === 0n) cas = this.takeCasLocked();
    this.mem.setU64(item + ITEM_CAS, cas);
    return cas;
  }

  /** Unlinks `item` (hash table, LRU) and frees its chunks. */
  removeLocked(item: number): void {
    this.table.unlinkLocked(item);
    this.lru.unlinkLocked(this.sizeClass(item), item);
    this.add(STAT.curr_items, -1);
    this.allocator.addToClass(this.sizeClass(item), CLASS_COUNTER.items, -1);
    this.charge(item, -this.chargedSize(item));
    this.releaseChunksLocked(item);
  }

  /** Frees the chunks of an unlinked (or never linked) item: its data chunks, then itself. */
  releaseChunksLocked(item: number): void {
    if (this.isChunked(item)) {
      for (let chunk = this.firstData(item); chunk !== 0;) {
        const next = this.mem.u32(chunk + DATA_NEXT);
        this.allocator.freeLocked(chunk);
        chunk = next;
      }
    }
    this.allocator.freeLocked(item);
  }

  // ───────────── flush_all ─────────────

  /** flush_all now (`delaySeconds` ≤ 0) or at the time `delaySeconds` names; items go lazily or by crawl. */
  flushLocked(delaySeconds: number, now: number): void {
    if (delaySeconds > 0) {
      this.mem.setF64(FLUSH_AT, expiresAt(delaySeconds, now));
    } else {
      this.mem.setU32(FLUSH_EPOCH, (this.mem.u32(FLUSH_EPOCH) + 1) >>> 0);
      this.mem.setF64(FLUSH_AT, 0);
    }
  }

  /** Lets a delayed flush that has come due take effect (as SharedStore's items.ts explains). */
  applyDueFlushLocked(now: number): void {
    const flushAt = this.mem.f64(FLUSH_AT);
    if (flushAt !== 0 && flushAt <= now) this.flushLocked(0, now);
  }

  // ───────────── Counters ─────────────

  /** Adds one to general counter `stat` (an index from shared/store/layout.ts's STAT). */
  count(stat: number): void {
    this.add(stat, 1);
  }

  /** Adds `delta` to general counter `stat`. */
  add(stat: number, delta: number): void {
    const slot = statSlot(stat);
    this.mem.setF64(slot, this.mem.f64(slot) + delta);
  }

  /** `item`'s size as memcached charges it (`bytes`, mem_requested). */
  chargedSize(item: number): number {
    return itemTotalSize(this.mem.u16(item + ITEM_KEY_LENGTH), this.valueLength(item));
  }

  private charge(item: number, bytes: number): void {
    this.add(STAT.bytes, bytes);
    this.allocator.addToClass(this.sizeClass(item), CLASS_COUNTER.requested, bytes);
  }

  private takeCasLocked(): bigint {
    const cas = this.mem.u64(NEXT_CAS);
    this.mem.setU64(NEXT_CAS, cas + 1n);
    return cas;
  }

  /** The slot of a chunked item's link to its first data chunk: after the key, 4-aligned. */
  private firstDataSlot(item: number, keyLength = this.mem.u16(item + ITEM_KEY_LENGTH)): number {
    return item + ITEM_KEY + alignUp4(keyLength);
  }

  private firstData(item: number): number {
    return this.mem.u32(this.firstDataSlot(item));
  }
}

function alignUp4(value: number): number {
  return (value + 3) & ~3;
}
