/**
 * Exercise 2.3 — a lock-free single-producer single-consumer ring of variable-length records in a
 * SharedArrayBuffer. The writer only moves TAIL, the reader only moves HEAD, both through Atomics;
 * records are [Int32 length][bytes][padding to 4] and never split: one that does not fit before
 * the end leaves a PADDING_MARKER and starts again at offset 0. Stands in for
 * phases/phase2/ring/ring-buffer.ts (layout: phases/phase2/ring/ring-layout.ts).
 * @module
 */
import {
  CONTROL_BYTES, DATA_START, MAX_CAPACITY, MIN_CAPACITY, RECORD_HEADER_BYTES, Slot,
} from '../../phases/phase2/ring/ring-layout.ts';
import { todo } from '../../shared/course/todo.ts';

/** Returned by {@link RingReader.popInto} when the ring is empty. */
export const EMPTY = -1;

/** Atomics.waitAsync's signature (typed only in TypeScript's ES2024 library). */
type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) =>
  { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Rounds up to the 4-byte alignment every record keeps. */
function align4(bytes: number): number {
  return (bytes + 3) & ~3;
}

/** Allocates a ring with a data area of `capacity` bytes (a power of two). */
export function createRing(capacity: number): SharedArrayBuffer {
  if (!Number.isInteger(Math.log2(capacity)) || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
    throw new RangeError(`ring capacity must be a power of two between ${MIN_CAPACITY} and ${MAX_CAPACITY}, got ${capacity}`);
  }
  const buffer = new SharedArrayBuffer(CONTROL_BYTES + capacity);
  new Int32Array(buffer)[Slot.CAPACITY] = capacity;
  return buffer;
}

/** The views both sides build over the same buffer. */
class RingView {
  protected readonly control: Int32Array;
  protected readonly bytes: Uint8Array;
  /** The data area again, as Int32s: record lengths and padding markers. */
  protected readonly words: Int32Array;
  readonly capacity: number;
  /** `position & mask` is the offset in the data area (capacity is a power of two). */
  protected readonly mask: number;

  constructor(buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, CONTROL_BYTES / Int32Array.BYTES_PER_ELEMENT);
    this.capacity = this.control[Slot.CAPACITY]!;
    this.mask = this.capacity - 1;
    this.bytes = new Uint8Array(buffer, DATA_START, this.capacity);
    this.words = new Int32Array(buffer, DATA_START, this.capacity / Int32Array.BYTES_PER_ELEMENT);
  }

  /** The largest record accepted: half the data area, less its length prefix. */
  get maxRecordLength(): number {
    return this.capacity / 2 - RECORD_HEADER_BYTES;
  }
}

/** The producing side. Exactly one thread may write to a ring. */
export class RingWriter extends RingView {
  /** Our TAIL (bytes published since creation; a free-running 32-bit counter). */
  private tail: number;
  /** The last HEAD we read; the true HEAD can only be further on. */
  private headSeen: number;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.tail = Atomics.load(this.control, Slot.TAIL);
    this.headSeen = Atomics.load(this.control, Slot.HEAD);
  }

  /**
   * TODO: append one record, or return false when there is no room now (backpressure); throw a
   * RangeError for a record over maxRecordLength. Steps: size = align4(4 + length); padding =
   * paddingFor(size); if !hasRoom(padding + size) return false. If there is padding, write
   * PADDING_MARKER (from ring-layout.ts) at the current offset and start at offset 0. Write the
   * length (through `words`, at index offset >> 2), then the bytes; advance `tail` by padding +
   * size (`| 0` keeps it 32-bit); Atomics.store it to Slot.TAIL; then, if Slot.READER_SLEEPING is
   * not 0, Atomics.notify on Slot.TAIL. Why this order: the store is what publishes the bytes
   * written before it — the reader must not see the new TAIL before the record is complete.
   */
  tryPush(record: Uint8Array): boolean {
    return todo('tryPush', record);
  }

  /** The padding a record of `size` bytes needs here: none if it fits before the end, else the rest. */
  private paddingFor(size: number): number {
    const untilEnd = this.capacity - (this.tail & this.mask);
    return size > untilEnd ? untilEnd : 0;
  }

  /** Whether `bytes` are free, re-reading HEAD only when the copy we hold says they are not. */
  private hasRoom(bytes: number): boolean {
    if (this.capacity - ((this.tail - this.headSeen) >>> 0) >= bytes) return true;
    this.headSeen = Atomics.load(this.control, Slot.HEAD);
    return this.capacity - ((this.tail - this.headSeen) >>> 0) >= bytes;
  }

  /** Blocks this thread until a record of `length` bytes would fit, or `timeoutMs` passes. */
  waitForSpace(length: number, timeoutMs = Infinity): boolean {
    const size = align4(RECORD_HEADER_BYTES + length);
    const needed = this.paddingFor(size) + size;
    if (this.hasRoom(needed)) return true;
    Atomics.store(this.control, Slot.WRITER_SLEEPING, 1);
    const head = Atomics.load(this.control, Slot.HEAD);
    if (this.capacity - ((this.tail - head) >>> 0) < needed) Atomics.wait(this.control, Slot.HEAD, head, timeoutMs);
    Atomics.store(this.control, Slot.WRITER_SLEEPING, 0);
    return this.hasRoom(needed);
  }
}

/** The consuming side. Exactly one thread may read from a ring. */
export class RingReader extends RingView {
  /** Our HEAD (bytes consumed since creation). */
  private head: number;
  /** The last TAIL we read; the true TAIL can only be further on. */
  private tailSeen: number;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.head = Atomics.load(this.control, Slot.HEAD);
    this.tailSeen = Atomics.load(this.control, Slot.TAIL);
  }

  /** Whether a record is waiting, re-reading TAIL only when the copy we hold says "empty". */
  hasData(): boolean {
    if (this.head !== this.tailSeen) return true;
    this.tailSeen = Atomics.load(this.control, Slot.TAIL);
    return this.head !== this.tailSeen;
  }

  /** The next record as a fresh copy, or undefined when the ring is empty. */
  tryPop(): Uint8Array | undefined {
    if (!this.hasData()) return undefined;
    const start = this.recordStart();
    const length = this.words[start >> 2]!;
    const record = this.bytes.slice(start + RECORD_HEADER_BYTES, start + RECORD_HEADER_BYTES + length);
    this.release(start, length);
    return record;
  }

  /** Copies the next record into `target`; returns its length, or EMPTY. Throws if it does not fit. */
  popInto(target: Uint8Array): number {
    if (!this.hasData()) return EMPTY;
    const start = this.recordStart();
    const length = this.words[start >> 2]!;
    if (length > target.length) throw new RangeError(`record of ${length} bytes does not fit a ${target.length}-byte target`);
    target.set(this.bytes.subarray(start + RECORD_HEADER_BYTES, start + RECORD_HEADER_BYTES + length));
    this.release(start, length);
    return length;
  }

  /**
   * TODO: the offset of the next record's length. If the word at `head & mask` is PADDING_MARKER,
   * the record wrapped: move `head` past the padding (to the next multiple of capacity) and
   * return 0. Do not publish HEAD here: the record is not read yet.
   */
  private recordStart(): number {
    return todo('recordStart', this.head);
  }

  /**
   * TODO: give the record's space back: advance `head` by align4(4 + length), Atomics.store it to
   * Slot.HEAD, and if Slot.WRITER_SLEEPING is not 0, Atomics.notify on Slot.HEAD. Why after the
   * copy: once HEAD moves, the writer may overwrite those bytes.
   */
  private release(start: number, length: number): void {
    todo('release', start, length);
  }

  /** Blocks this thread until a record arrives or `timeoutMs` passes; returns whether one waits. */
  waitForData(timeoutMs = Infinity): boolean {
    if (this.hasData()) return true;
    Atomics.store(this.control, Slot.READER_SLEEPING, 1);
    const tail = Atomics.load(this.control, Slot.TAIL);
    if (tail === this.head) Atomics.wait(this.control, Slot.TAIL, tail, timeoutMs);
    Atomics.store(this.control, Slot.READER_SLEEPING, 0);
    return this.hasData();
  }

  /** Like {@link waitForData}, without blocking the event loop (Atomics.waitAsync). */
  async waitForDataAsync(timeoutMs = Infinity): Promise<boolean> {
    if (this.hasData()) return true;
    Atomics.store(this.control, Slot.READER_SLEEPING, 1);
    const tail = Atomics.load(this.control, Slot.TAIL);
    if (tail === this.head) {
      const waiting = waitAsync(this.control, Slot.TAIL, tail, timeoutMs);
      if (waiting.async) await waiting.value;
    }
    Atomics.store(this.control, Slot.READER_SLEEPING, 0);
    return this.hasData();
  }
}
