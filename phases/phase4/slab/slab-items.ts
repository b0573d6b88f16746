/**
 * Where phase 4's items live (memcached's slabs.c and items.c): chunks of size classes in 1 MiB
 * pages, an LRU per class, and room made by evicting (slab-room.ts) when a class is full. Values
 * are contiguous in one chunk, or spread over data chunks for an item above the chunk maximum.
 * What every store's memory shares (fields, lookup, commit, flushes, counters) is
 * shared/store/item-fields.ts; the commands that run on it are shared/store/item-commands.ts.
 * Every `…Locked` method expects the item's stripe held (slab-locks.ts); what every key shares —
 * the allocator, the LRUs, the class records, the CAS counter — each method here takes the
 * allocation lock for, only as long as it touches it.
 * @module
 */
import { NEVER } from '../../../shared/store/exptime.ts';
import { ItemFields } from '../../../shared/store/item-fields.ts';
import { FLUSH_AT, ITEM_BITS, ITEM_EXPIRES_AT, ITEM_HASH, ITEM_KEY, ITEM_KEY_LENGTH, STAT } from '../../../shared/store/layout.ts';
import type { StoreMemory } from '../../../shared/store/store-memory.ts';
import type { HitSink, Item } from '../../../shared/store/store.ts';
import { SlabAllocator } from './slab-allocator.ts';
import { shardOf } from './counter-shards.ts';
import type { SlabClass } from './slab-class-spec.ts';
import { classFor } from './slab-classes.ts';
import {
  CHUNK_BITS, CHUNK_DATA, CHUNK_HEADER, CLASS_COUNTER, CLASS_NEXT_EXPIRY, classSlot, DATA_BYTES, DATA_LENGTH, DATA_NEXT,
  DATA_OWNER, ITEM_CHUNKED, ITEM_LINKED, LRU_PREFIX, LRU_TIME, SLAB_BUMP_INTERVAL,
} from './slab-layout.ts';
import { SlabLocks } from './slab-locks.ts';
import { SlabPins } from './slab-pins.ts';
import { SlabLru } from './slab-lru.ts';
import { SlabRoom } from './slab-room.ts';

/** The `value` of an item lent in pieces. */
const EMPTY = Buffer.alloc(0);

/** Items by offset (0 = none) in slab chunks. */
export class SlabItems extends ItemFields {
  readonly allocator: SlabAllocator;
  readonly lru: SlabLru;
  /** The class table, read back from the header (chunk sizes), for choosing a class. */
  readonly classes: readonly SlabClass[];
  /** The stripes and the allocation lock, as this thread holds them. */
  readonly locks: SlabLocks;
  /** Which items are pinned: lent to a socket as views (slab-pins.ts). */
  readonly pins: SlabPins;
  /** While this thread lends values (SlabStore's valuePins, between begin and take), the shortest value lent; 0: every read copies. */
  private lendFrom = 0;
  /** The pins taken while lending, item then hash; made at the first, so a turn without one allocates nothing. */
  private taken: number[] | null = null;
  private readonly room: SlabRoom;
  private readonly base: number;

  constructor(mem: StoreMemory, base: number) {
    // This thread counts into its own shard of the counters (counter-shards.ts).
    super(mem, shardOf(mem, base));
    this.base = base;
    this.locks = new SlabLocks(mem, base);
    this.pins = new SlabPins(mem, base);
    this.allocator = new SlabAllocator(mem, base);
    this.lru = new SlabLru(mem, base);
    const classes: SlabClass[] = [];
    for (let index = 0; index < this.allocator.classCount; index++) {
      classes.push({ id: index + 1, chunkSize: this.allocator.chunkSize(index), chunksPerPage: this.allocator.perPage(index) });
    }
    this.classes = classes;
    this.room = new SlabRoom(this);
  }

  // ───────────── Reading ─────────────

  /**
   * A get's copy of `item` — or, while this thread lends values and this one is long enough, the
   * item with its value as a view of store memory (one view per data chunk for a chunked item),
   * pinned until it is given back.
   */
  override readLocked(item: number, key: string, now: number): Item {
    if (this.lendFrom === 0 || this.valueLength(item) < this.lendFrom || !this.pins.pinLocked(item)) {
      return super.readLocked(item, key, now);
    }
    this.bumpLocked(item, now);
    (this.taken ??= []).push(item, this.mem.u32(item + ITEM_HASH));
    const bytes = this.mem.bytes;
    if (!this.isChunked(item)) {
      const start = this.valueStart(item);
      return { key, flags: this.flags(item), value: bytes.subarray(start, start + this.valueLength(item)), cas: this.cas(item) };
    }
    const pieces: Buffer[] = [];
    for (let chunk = this.firstData(item); chunk !== 0; chunk = this.mem.u32(chunk + DATA_NEXT)) {
      pieces.push(bytes.subarray(chunk + DATA_BYTES, chunk + DATA_BYTES + this.mem.u32(chunk + DATA_LENGTH)));
    }
    return { key, flags: this.flags(item), value: EMPTY, pieces, cas: this.cas(item) };
  }

  /**
   * The get fast path: a value long enough to be lent goes as the pinned Item readLocked makes
   * (its bytes must outlive the lock); a shorter one is handed over in place, to be copied.
   */
  override handLocked(item: number, key: string, now: number, sink: HitSink): void {
    if (this.lendFrom !== 0 && this.valueLength(item) >= this.lendFrom) sink.hitItem(this.readLocked(item, key, now));
    else super.handLocked(item, key, now, sink);
  }

  /** Starts lending values at least `fromBytes` long (see SlabStore's valuePins). */
  beginLending(fromBytes: number): void {
    this.lendFrom = Math.max(1, fromBytes);
  }

  /** Stops lending; the pins taken meanwhile (item, hash, item, hash…), or null for none. */
  endLending(): number[] | null {
    const taken = this.taken;
    this.lendFrom = 0;
    this.taken = null;
    return taken;
  }

  /**
   * Takes a pin off `item`, whose stripe the caller holds; the last pin of an item that was
   * removed meanwhile frees its chunks.
   */
  unpinLocked(item: number): void {
    if (!this.pins.unpinLocked(item) || (this.bits(item) & ITEM_LINKED) !== 0) return;
    this.locks.enterAllocation();
    try {
      this.releaseChunksLocked(item);
    } finally {
      this.locks.leaveAllocation();
    }
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

  /**
   * A fetch: marks the item fetched and accessed, and moves it up its LRU once per bump interval.
   * Most fetches only compare two times and never take the allocation lock the LRU needs.
   */
  bumpLocked(item: number, now: number): void {
    this.markFetchedLocked(item, now);
    const interval = this.mem.f64(this.base + SLAB_BUMP_INTERVAL);
    // The link time is the LRU's (written under the allocation lock): read here without it, it
    // can only be late, and the LRU compares again once the lock is held.
    if (now - this.mem.f64(item + LRU_TIME) < interval) return;
    this.locks.enterAllocation();
    try {
      this.lru.bumpLocked(this.sizeClass(item), item, now, interval);
    } finally {
      this.locks.leaveAllocation();
    }
  }

  /** Replaces `item`'s item flags (ITEM_FETCHED, ITEM_STALE, …), keeping those of its chunk. */
  setBitsLocked(item: number, bits: number): void {
    this.mem.setU8(item + ITEM_BITS, (bits & ~CHUNK_BITS) | (this.bits(item) & CHUNK_BITS));
  }

  /** A counter may be rewritten in place unless a socket is still sending its bytes. */
  override rewritableLocked(item: number): boolean {
    return !this.pins.isPinned(item);
  }

  /** Whether `item`'s value is spread over data chunks. */
  isChunked(item: number): boolean {
    return (this.bits(item) & ITEM_CHUNKED) !== 0;
  }

  // ───────────── Writing items ─────────────

  /** Sets `item`'s expiry time, keeping its class's earliest-expiry hint. */
  setExpiresAtLocked(item: number, expires: number): void {
    this.mem.setF64(item + ITEM_EXPIRES_AT, expires);
    if (expires === NEVER) return;
    this.locks.enterAllocation();
    try {
      const slot = this.base + classSlot(this.sizeClass(item), CLASS_NEXT_EXPIRY);
      const due = this.mem.f64(slot);
      if (due === NEVER || expires < due) this.mem.setF64(slot, expires);
    } finally {
      this.locks.leaveAllocation();
    }
  }

  /**
   * Chunks for the next version of a key, `keyLength` + `valueLength` bytes: `old`'s own chunk
   * when the new version fits the same class (rewritten in place), else fresh ones, making room
   * as the store's policy says (slab-room.ts); 0 when none can be had. `old` is 0 for a new key.
   */
  reserveLocked(old: number, keyLength: number, valueLength: number, now: number): number {
    const contiguous = LRU_PREFIX + ITEM_KEY + keyLength + valueLength;
    const largest = this.classes.length - 1;
    const index = contiguous <= this.classes[largest]!.chunkSize ? classFor(this.classes, contiguous) : -1;
    // Rewriting in place touches only the item, which the caller's stripe covers — unless a
    // socket is still sending the old bytes (a pin): then the new version takes fresh chunks.
    if (index !== -1 && old !== 0 && !this.isChunked(old) && this.sizeClass(old) === index && !this.pins.isPinned(old)) return old;
    // Fresh chunks come from the allocator: until commitLocked links them they are not LINKED,
    // so no other thread evicts them or moves their page meanwhile (slab-room.ts).
    this.locks.enterAllocation();
    try {
      return index !== -1 ? this.room.allocLocked(index, old, now) : this.reserveChunkedLocked(old, keyLength, valueLength, now);
    } finally {
      this.locks.leaveAllocation();
    }
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

  moveValueLocked(old: number, block: number, keyLength: number, at: number): void {
    const bytes = this.mem.bytes;
    if (!this.isChunked(old) && !this.isChunked(block)) {
      // Both contiguous (perhaps the same chunk): one copy, Buffer.copy handling the overlap (memmove).
      const to = block + ITEM_KEY + keyLength + at;
      const from = this.valueStart(old);
      if (to !== from) bytes.copy(bytes, to, from, from + this.valueLength(old));
      return;
    }
    // Either side chunked: the old value is copied out whole first, then written in.
    const value = Buffer.allocUnsafe(this.valueLength(old));
    this.copyValueLocked(old, value, 0);
    this.writeValueLocked(block, keyLength, at, value);
  }

  /** Links a new version, under the allocation lock: its LRU place, the class counters and its CAS are shared. */
  override commitLocked(
    old: number, block: number, key: string, hash: number, flags: number, expires: number, length: number, now: number,
    cas?: bigint, bits?: number,
  ): bigint {
    this.locks.enterAllocation();
    try {
      return super.commitLocked(old, block, key, hash, flags, expires, length, now, cas, bits);
    } finally {
      this.locks.leaveAllocation();
    }
  }

  /** Counts a new item in its class, and puts `block` at the head of the class's LRU (a reused chunk leaves its old place first). */
  protected placeLocked(block: number, reused: boolean, now: number): void {
    const index = this.sizeClass(block);
    if (reused) this.lru.unlinkLocked(index, block);
    else this.allocator.addToClass(index, CLASS_COUNTER.items, 1);
    this.lru.linkLocked(index, block, now);
  }

  /** The command's item flags, the chunk's own (chunked or not), and linked. */
  protected committedBits(block: number, bits: number): number {
    return (bits & ~CHUNK_BITS) | (this.mem.u8(block + ITEM_BITS) & ITEM_CHUNKED) | ITEM_LINKED;
  }

  /**
   * Unlinks `item` (hash table, LRU) and frees its chunks. The caller holds the item's stripe. A
   * pinned item is unlinked and counted out the same way, but its chunks stay allocated, no
   * longer marked linked, until its last pin goes ({@link SlabItems.unpinLocked}).
   */
  removeLocked(item: number): void {
    this.locks.enterAllocation();
    try {
      this.table.unlinkLocked(item);
      this.lru.unlinkLocked(this.sizeClass(item), item);
      this.add(STAT.curr_items, -1);
      this.allocator.addToClass(this.sizeClass(item), CLASS_COUNTER.items, -1);
      this.charge(item, -this.chargedSize(item));
      if (this.pins.isPinned(item)) this.mem.setU8(item + ITEM_BITS, this.bits(item) & ~ITEM_LINKED);
      else this.releaseChunksLocked(item);
    } finally {
      this.locks.leaveAllocation();
    }
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

  // ───────────── flush_all and CAS: shared by every key ─────────────

  /**
   * A delayed flush that has come due takes effect under the allocation lock, so two threads
   * that both see it due apply it once: the second finds it applied. Reading the due time without
   * the lock can only see it late, and flush_all wrote it under every lock, before any command
   * that started after it.
   */
  override applyDueFlushLocked(now: number): void {
    const flushAt = this.mem.f64(FLUSH_AT);
    if (flushAt === 0 || flushAt > now) return;
    this.locks.enterAllocation();
    try {
      super.applyDueFlushLocked(now);
    } finally {
      this.locks.leaveAllocation();
    }
  }

  protected override takeCasLocked(): bigint {
    this.locks.enterAllocation();
    try {
      return super.takeCasLocked();
    } finally {
      this.locks.leaveAllocation();
    }
  }

  // ───────────── Counters ─────────────

  protected charge(item: number, bytes: number): void {
    this.add(STAT.bytes, bytes);
    this.allocator.addToClass(this.sizeClass(item), CLASS_COUNTER.requested, bytes);
  }

  // ───────────── Chunked values ─────────────

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
