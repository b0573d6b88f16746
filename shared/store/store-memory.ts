/**
 * Typed views over a store's SharedArrayBuffer, with one accessor per field width, so the rest of
 * the store reads `mem.u32(item + ITEM_NEXT)` instead of index arithmetic. Offsets are byte offsets
 * (layout.ts); each accessor turns one into its typed-array index with a shift.
 * @module
 */
import { ARENA_END, MAGIC } from './layout.ts';

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
 */
export class StoreMemory {
  /** The shared memory itself. */
  readonly buffer: SharedArrayBuffer;
  /** A Buffer over the whole buffer (no copy): for bulk copies of keys and values. */
  readonly bytes: Buffer;
  /** For the lock word, which Atomics needs as an Int32Array. */
  readonly i32: Int32Array;
  private readonly u16s: Uint16Array;
  private readonly u32s: Uint32Array;
  private readonly f64s: Float64Array;
  private readonly u64s: BigUint64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.bytes = Buffer.from(buffer);
    this.i32 = new Int32Array(buffer);
    this.u16s = new Uint16Array(buffer);
    this.u32s = new Uint32Array(buffer);
    // The buffer's length is a multiple of 8 (store-geometry.ts), so every view covers all of it.
    this.f64s = new Float64Array(buffer);
    this.u64s = new BigUint64Array(buffer);
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

  /** Writes the u64 at byte `offset` (a multiple of 8). */
  setU64(offset: number, value: bigint): void {
    this.u64s[offset >>> 3] = value;
  }
}
