/**
 * Typed views over a store's SharedArrayBuffer, with one accessor per field width, so the rest of
 * the store reads `mem.u32(item + ITEM_NEXT)` instead of index arithmetic. Offsets are byte offsets
 * (layout.ts); each accessor turns one into its typed-array index with a shift.
 * @module
 */
import { ARENA_END, MAGIC } from './layout.ts';

/** Which of a u64's two u32 words holds its low half (0 or 1): typed arrays use the platform's byte order. */
const LOW_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

/**
 * The memory of a store another thread made: checks its MAGIC slot holds `magic` and its
 * ARENA_END slot the buffer's length (a store's memory ends where its buffer does).
 * @throws TypeError with `refusal` when `buffer` does not hold such a store
 */
export function attachStoreMemory(buffer: SharedArrayBuffer, magic: number, refusal: string): StoreMemory {
  const mem = new StoreMemory(buffer);
  if (mem.u32(MAGIC) !== magic || mem.u32(ARENA_END) !== buffer.byteLength) throw new TypeError(refusal);
  return mem;
}

/**
 * The views every part of the store reads and writes through. Plain (non-atomic) accesses: callers
 * hold the store's lock, whose Atomics operations order them between threads (see atomics-lock.ts).
 *
 * A store's buffer may be growable (phase 4's slab store grows for `cache_memlimit`). The views are
 * made with the length the buffer has *now*: a view that follows a growable buffer's length is
 * many times slower to index in Node 20. So after another thread grew the buffer, a thread calls
 * {@link StoreMemory.follow} — the slab store does as it takes a lock — to map the new memory.
 */
export class StoreMemory {
  /** The shared memory itself. */
  readonly buffer: SharedArrayBuffer;
  /** A Buffer over the whole buffer as mapped (no copy): for bulk copies of keys and values. */
  bytes!: Buffer;
  /** For the lock words and other atomic slots, which Atomics needs as an Int32Array. */
  i32!: Int32Array;
  private u16s!: Uint16Array;
  private u32s!: Uint32Array;
  private f64s!: Float64Array;
  private u64s!: BigUint64Array;
  /** The buffer's length when the views were made. */
  private mapped = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.map();
  }

  /** Maps memory another thread added to a growable buffer; does nothing when there is none. */
  follow(): void {
    if (this.buffer.byteLength !== this.mapped) this.map();
  }

  private map(): void {
    const buffer = this.buffer;
    // The buffer's length is a multiple of 8 (store-geometry.ts), so every view covers all of it.
    const length = buffer.byteLength;
    this.bytes = Buffer.from(buffer, 0, length);
    this.i32 = new Int32Array(buffer, 0, length >>> 2);
    this.u16s = new Uint16Array(buffer, 0, length >>> 1);
    this.u32s = new Uint32Array(buffer, 0, length >>> 2);
    this.f64s = new Float64Array(buffer, 0, length >>> 3);
    this.u64s = new BigUint64Array(buffer, 0, length >>> 3);
    this.mapped = length;
  }

  // `>>>` (unsigned shift) rather than `>>`: offsets go up to 2^32 − 1, past int32's range.

  /** Reads the u8 at byte `offset`. */
  u8(offset: number): number {
    return this.bytes[offset]!;
  }

  /** Writes the u8 at byte `offset`. */
  setU8(offset: number, value: number): void {
    this.bytes[offset] = value;
  }

  /** Reads the u16 at byte `offset` (a multiple of 2). */
  u16(offset: number): number {
    return this.u16s[offset >>> 1]!;
  }

  /** Writes the u16 at byte `offset` (a multiple of 2). */
  setU16(offset: number, value: number): void {
    this.u16s[offset >>> 1] = value;
  }

  /** Reads the u32 at byte `offset` (a multiple of 4). */
  u32(offset: number): number {
    return this.u32s[offset >>> 2]!;
  }

  /** Writes the u32 at byte `offset` (a multiple of 4). */
  setU32(offset: number, value: number): void {
    this.u32s[offset >>> 2] = value;
  }

  /** Reads the f64 at byte `offset` (a multiple of 8). */
  f64(offset: number): number {
    return this.f64s[offset >>> 3]!;
  }

  /** Writes the f64 at byte `offset` (a multiple of 8). */
  setF64(offset: number, value: number): void {
    this.f64s[offset >>> 3] = value;
  }

  /**
   * Reads the u64 at byte `offset` (a multiple of 8). A CAS value is 64 bits in memcached and a
   * client may choose any of them (meta's E flag), so it lives here rather than in an f64, which
   * is exact only below 2^53. Each read allocates one small BigInt.
   */
  u64(offset: number): bigint {
    return this.u64s[offset >>> 3]!;
  }

  /**
   * The high 32 bits of the u64 at byte `offset`, read as a plain number: a reply writes a CAS
   * from its halves and so makes no BigInt for it (the get fast path, item-fields.ts).
   */
  u64High(offset: number): number {
    return this.u32s[(offset >>> 2) + 1 - LOW_WORD]!;
  }

  /** The low 32 bits of the u64 at byte `offset` (see {@link StoreMemory.u64High}). */
  u64Low(offset: number): number {
    return this.u32s[(offset >>> 2) + LOW_WORD]!;
  }

  /** Writes the u64 at byte `offset` (a multiple of 8). */
  setU64(offset: number, value: bigint): void {
    this.u64s[offset >>> 3] = value;
  }
}
