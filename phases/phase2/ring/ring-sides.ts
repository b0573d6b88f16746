/**
 * What the ring's two sides do around the three steps that make it lock-free: allocating a
 * ring, the views over its buffer, the writer's room check and wait, the reader's empty check,
 * copies and waits. ring-buffer.ts adds the steps — push, find a record, release it — and so does
 * the exercise that stands in for it, so both run this very code. Layout: ring-layout.ts.
 * @module
 */
import { CONTROL_BYTES, DATA_START, MAX_CAPACITY, MIN_CAPACITY, RECORD_HEADER_BYTES, Slot } from './ring-layout.ts';

/** Returned by {@link RingReaderBase.popInto} when the ring is empty. */
export const EMPTY = -1;

/**
 * Records up to this size are copied out byte by byte; larger ones through a view and a native
 * copy, whose fixed cost (allocating the view) only pays off for longer records.
 */
const COPY_LOOP_MAX = 64;

/** Rounds up to the 4-byte alignment every record keeps. */
export function align4(bytes: number): number {
  return (bytes + 3) & ~3;
}

/**
 * Allocates a ring whose data area holds `capacity` bytes (a power of two, so a position maps to
 * an offset with one AND). Hand the returned buffer to one writer and one reader, in any threads.
 */
export function createRing(capacity: number): SharedArrayBuffer {
  if (!Number.isInteger(Math.log2(capacity)) || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
    throw new RangeError(`ring capacity must be a power of two between ${MIN_CAPACITY} and ${MAX_CAPACITY}, got ${capacity}`);
  }
  const buffer = new SharedArrayBuffer(CONTROL_BYTES + capacity);
  new Int32Array(buffer)[Slot.CAPACITY] = capacity;
  return buffer;
}

/** The views both sides build over the same buffer. */
export class RingView {
  protected readonly control: Int32Array;
  protected readonly bytes: Uint8Array;
  /** The data area again, as Int32s, to read and write record lengths in one step. */
  protected readonly words: Int32Array;
  /** The data area's size in bytes. */
  readonly capacity: number;
  /** `position & mask` is the offset in the data area (capacity is a power of two). */
  protected readonly mask: number;

  constructor(buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, CONTROL_BYTES / Int32Array.BYTES_PER_ELEMENT);
    // The capacity was written before the buffer was handed over (postMessage orders it).
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

/** The producing side, less `tryPush` (ring-buffer.ts). Exactly one thread may write to a ring. */
export abstract class RingWriterBase extends RingView {
  /** Our TAIL: only this side writes it, so the private copy is always current. */
  protected tail: number;
  /** The last HEAD we read; the true HEAD can only be further on, so this is never optimistic. */
  protected headSeen: number;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.tail = Atomics.load(this.control, Slot.TAIL);
    this.headSeen = Atomics.load(this.control, Slot.HEAD);
  }

  /** Appends one record, or returns false when there is no room for it now. */
  abstract tryPush(record: Uint8Array): boolean;

  /**
   * The padding a record of `size` bytes needs at the current position: none if it fits before
   * the end of the data area, else everything up to the end (the record then starts at 0).
   */
  protected paddingFor(size: number): number {
    const untilEnd = this.capacity - (this.tail & this.mask);
    return size > untilEnd ? untilEnd : 0;
  }

  /** Whether `bytes` are free, re-reading HEAD only when the copy we hold says they are not. */
  protected hasRoom(bytes: number): boolean {
    if (this.capacity - ((this.tail - this.headSeen) >>> 0) >= bytes) return true;
    // Acquire: the reader has finished with every byte before the HEAD we load here.
    this.headSeen = Atomics.load(this.control, Slot.HEAD);
    return this.capacity - ((this.tail - this.headSeen) >>> 0) >= bytes;
  }

  /**
   * Blocks this thread (Atomics.wait) until a record of `length` bytes would fit, or until
   * `timeoutMs` passes. Returns whether it fits. For worker threads: it blocks an event loop.
   */
  waitForSpace(length: number, timeoutMs = Infinity): boolean {
    const size = align4(RECORD_HEADER_BYTES + length);
    // Only this side moves TAIL, so the padding needed cannot change while we wait.
    const needed = this.paddingFor(size) + size;
    if (this.hasRoom(needed)) return true;
    const deadline = performance.now() + timeoutMs;
    Atomics.store(this.control, Slot.WRITER_SLEEPING, 1);
    // hasRoom re-reads HEAD after the flag is raised, so a pop in between cannot go unnoticed, and
    // we sleep on the very value it read. A wakeup is only a hint: a pop may free too little, and
    // a notify may be late — sent for a pop we had already seen — so look again after each one.
    for (let left = timeoutMs; left > 0 && !this.hasRoom(needed); left = deadline - performance.now()) {
      Atomics.wait(this.control, Slot.HEAD, this.headSeen, left);
    }
    Atomics.store(this.control, Slot.WRITER_SLEEPING, 0);
    return this.hasRoom(needed);
  }
}

/** The consuming side, less finding and releasing a record (ring-buffer.ts). Exactly one thread may read from a ring. */
export abstract class RingReaderBase extends RingView {
  /** Our HEAD: only this side writes it. */
  protected head: number;
  /** The last TAIL we read; the true TAIL can only be further on. */
  protected tailSeen: number;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.head = Atomics.load(this.control, Slot.HEAD);
    this.tailSeen = Atomics.load(this.control, Slot.TAIL);
  }

  /** The offset of the next record's length, past a padding marker if there is one. */
  protected abstract recordStart(): number;

  /** Gives the space of the record at `start`, `length` bytes long, back to the writer. */
  protected abstract release(start: number, length: number): void;

  /** Whether a record is waiting, re-reading TAIL only when the copy we hold says "empty". */
  hasData(): boolean {
    if (this.head !== this.tailSeen) return true;
    // Acquire: every byte before the TAIL we load here was written before it was published.
    this.tailSeen = Atomics.load(this.control, Slot.TAIL);
    return this.head !== this.tailSeen;
  }

  /** The next record as a fresh copy, or undefined when the ring is empty. Never blocks. */
  tryPop(): Uint8Array | undefined {
    if (!this.hasData()) return undefined;
    const start = this.recordStart();
    const length = this.words[start >> 2]!;
    const record = this.bytes.slice(start + RECORD_HEADER_BYTES, start + RECORD_HEADER_BYTES + length);
    this.release(start, length);
    return record;
  }

  /**
   * Copies the next record into `target` (no allocation) and returns its length, or {@link EMPTY}.
   * @throws RangeError when `target` is shorter than the record (which then stays in the ring)
   */
  popInto(target: Uint8Array): number {
    if (!this.hasData()) return EMPTY;
    const start = this.recordStart();
    const length = this.words[start >> 2]!;
    if (length > target.length) throw new RangeError(`record of ${length} bytes does not fit a ${target.length}-byte target`);
    const from = start + RECORD_HEADER_BYTES;
    if (length <= COPY_LOOP_MAX) {
      // A plain loop: subarray() would allocate a view object for every record.
      for (let i = 0; i < length; i++) target[i] = this.bytes[from + i]!;
    } else {
      target.set(this.bytes.subarray(from, from + length));
    }
    this.release(start, length);
    return length;
  }

  /**
   * Blocks this thread (Atomics.wait) until a record arrives or `timeoutMs` passes, and returns
   * whether one is waiting. For worker threads: it blocks an event loop.
   */
  waitForData(timeoutMs = Infinity): boolean {
    if (this.hasData()) return true;
    const deadline = performance.now() + timeoutMs;
    Atomics.store(this.control, Slot.READER_SLEEPING, 1);
    // hasData re-reads TAIL after the flag is raised: a push that slipped in before the flag was
    // visible did not notify, but it did move TAIL. We sleep on the very value it read, so a push
    // after it makes wait() return at once ("not-equal"). A wakeup is only a hint: the writer may
    // be preempted between its store and its notify, and the late notify then wakes a later sleep
    // with nothing new behind it — so look again after each one, until the deadline.
    for (let left = timeoutMs; left > 0 && !this.hasData(); left = deadline - performance.now()) {
      Atomics.wait(this.control, Slot.TAIL, this.tailSeen, left);
    }
    Atomics.store(this.control, Slot.READER_SLEEPING, 0);
    return this.hasData();
  }

  /**
   * Like {@link waitForData} without blocking: for an event-loop thread, which must keep serving
   * while it waits. Uses Atomics.waitAsync, which resolves from the writer's notify.
   * Beware: on Node 20 a pending waitAsync does not keep the event loop alive by itself; a
   * process with nothing else to do (no socket, no timer) exits while waiting.
   */
  async waitForDataAsync(timeoutMs = Infinity): Promise<boolean> {
    if (this.hasData()) return true;
    const deadline = performance.now() + timeoutMs;
    Atomics.store(this.control, Slot.READER_SLEEPING, 1);
    // The same handshake and the same loop as waitForData.
    for (let left = timeoutMs; left > 0 && !this.hasData(); left = deadline - performance.now()) {
      const waiting = Atomics.waitAsync(this.control, Slot.TAIL, this.tailSeen, left);
      if (waiting.async) await waiting.value;
    }
    Atomics.store(this.control, Slot.READER_SLEEPING, 0);
    return this.hasData();
  }
}
