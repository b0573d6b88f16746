/**
 * A single-producer single-consumer ring buffer of variable-length records in a SharedArrayBuffer,
 * with no locks: the writer only ever moves TAIL, the reader only ever moves HEAD, and both move
 * through Atomics. Each side keeps a private copy of the other's counter and re-reads it only
 * when that copy says "full" or "empty", so the hot path touches shared counters as little as it can.
 *
 * Records are [Int32 length][bytes][padding to 4]. Wrap strategy: a record is never split. If it
 * does not fit between the write position and the end of the data area, the writer puts a
 * PADDING_MARKER there and writes the record at offset 0; the reader, meeting the marker, skips
 * to offset 0. So a record may take at most half the data area: then it always fits an empty ring.
 *
 * Memory ordering: every Atomics operation in JavaScript is sequentially consistent. The writer
 * fills the bytes with plain writes, then Atomics.store(TAIL): a reader whose Atomics.load(TAIL)
 * returns that value is guaranteed to see those bytes (the store "releases" them, the load
 * "acquires" them). Symmetrically, the reader copies a record out, then Atomics.store(HEAD); the
 * writer overwrites that space only after its Atomics.load(HEAD) has seen the new value.
 *
 * This file holds the three steps that publish and consume records; the views, the room and
 * empty checks, the copies and the waits around them are in ring-sides.ts.
 * @module
 */
import { PADDING_MARKER, RECORD_HEADER_BYTES, Slot } from './ring-layout.ts';
import { align4, RingReaderBase, RingWriterBase } from './ring-sides.ts';

export { createRing, EMPTY } from './ring-sides.ts';

/** The producing side. Exactly one thread may write to a ring. */
export class RingWriter extends RingWriterBase {
  /**
   * Appends one record, or returns false when there is no room for it now (backpressure: the
   * caller retries later, drops, or calls {@link waitForSpace}). Never blocks.
   * @throws RangeError when the record exceeds {@link maxRecordLength}
   */
  tryPush(record: Uint8Array): boolean {
    const length = record.length;
    if (length > this.maxRecordLength) {
      throw new RangeError(`record of ${length} bytes exceeds the ring's limit of ${this.maxRecordLength}`);
    }
    const size = align4(RECORD_HEADER_BYTES + length);
    const offset = this.tail & this.mask;
    const padding = this.paddingFor(size);
    if (!this.hasRoom(padding + size)) return false;
    if (padding > 0) this.words[offset >> 2] = PADDING_MARKER;
    const start = padding > 0 ? 0 : offset;
    this.words[start >> 2] = length;
    this.bytes.set(record, start + RECORD_HEADER_BYTES);
    this.tail = (this.tail + padding + size) | 0;
    // Publish: the plain writes above become visible to a reader that loads this TAIL.
    Atomics.store(this.control, Slot.TAIL, this.tail);
    // Wake a sleeping reader. Loading the flag after storing TAIL (both sequentially consistent)
    // pairs with the reader storing the flag before re-loading TAIL: one of us sees the other.
    if (Atomics.load(this.control, Slot.READER_SLEEPING) !== 0) Atomics.notify(this.control, Slot.TAIL);
    return true;
  }
}

/** The consuming side. Exactly one thread may read from a ring. */
export class RingReader extends RingReaderBase {
  /** The offset of the next record's length, past a padding marker if there is one. */
  protected recordStart(): number {
    const offset = this.head & this.mask;
    if (this.words[offset >> 2] !== PADDING_MARKER) return offset;
    // The record wrapped: the padding runs to the end of the data area.
    this.head = (this.head + this.capacity - offset) | 0;
    return 0;
  }

  /** Gives the record's space back to the writer. */
  protected release(start: number, length: number): void {
    this.head = (this.head + align4(RECORD_HEADER_BYTES + length)) | 0;
    // Release: the copy above is complete before the writer may reuse these bytes.
    Atomics.store(this.control, Slot.HEAD, this.head);
    // Same handshake as in tryPush, for a writer sleeping in waitForSpace.
    if (Atomics.load(this.control, Slot.WRITER_SLEEPING) !== 0) Atomics.notify(this.control, Slot.HEAD);
  }
}
