/**
 * Exercise 2.3 — a lock-free single-producer single-consumer ring of variable-length records in a
 * SharedArrayBuffer. The writer only moves TAIL, the reader only moves HEAD, both through Atomics;
 * records are [Int32 length][bytes][padding to 4] and never split: one that does not fit before
 * the end leaves a PADDING_MARKER and starts again at offset 0. Stands in for
 * phases/phase2/ring/ring-buffer.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';
import { RingReaderBase, RingWriterBase } from '../../phases/phase2/ring/ring-sides.ts';

// Given: phases/phase2/ring/ring-sides.ts, which the real module builds on too — createRing, the
// views (`control`, `bytes`, `words`, `mask`, `capacity`), the writer's `tail`, `paddingFor` and
// `hasRoom`, the reader's `head`, and the copies and waits that call your recordStart and release.
// Import align4 from there and PADDING_MARKER, RECORD_HEADER_BYTES and Slot from ring-layout.ts.
export { createRing, EMPTY } from '../../phases/phase2/ring/ring-sides.ts';

/** The producing side. Exactly one thread may write to a ring. */
export class RingWriter extends RingWriterBase {
  /**
   * TODO: append one record, or return false when there is no room now (backpressure); throw a
   * RangeError for a record over maxRecordLength. Steps: size = align4(4 + length); padding =
   * paddingFor(size); if !hasRoom(padding + size) return false. If there is padding, write
   * PADDING_MARKER at the current offset (`tail & mask`) and start at offset 0. Write the length
   * (through `words`, at index offset >> 2), then the bytes; advance `tail` by padding + size
   * (`| 0` keeps it 32-bit); Atomics.store it to Slot.TAIL; then, if Atomics.load of
   * Slot.READER_SLEEPING is not 0, Atomics.notify on Slot.TAIL. Why this order: the store is what
   * publishes the bytes written before it — the reader must not see the new TAIL before the record
   * is complete. And the flag is read after the store, with Atomics.load: waitForData raises the
   * flag, then re-reads TAIL, so one of the two sides always sees the other. A plain read of the
   * flag may be done before the store, and then both can miss: a lost wakeup.
   */
  tryPush(record: Uint8Array): boolean {
    return todo('tryPush', record);
  }
}

/** The consuming side. Exactly one thread may read from a ring. */
export class RingReader extends RingReaderBase {
  /**
   * TODO: the offset of the next record's length. If the word at `head & mask` is PADDING_MARKER,
   * the record wrapped: move `head` past the padding (to the next multiple of capacity) and
   * return 0. Why not publish HEAD here: the record is not read yet.
   */
  protected recordStart(): number {
    return todo('recordStart', this.head);
  }

  /**
   * TODO: give the record's space back: advance `head` by align4(4 + length), Atomics.store it to
   * Slot.HEAD, and if Atomics.load of Slot.WRITER_SLEEPING is not 0, Atomics.notify on Slot.HEAD
   * (the same handshake as tryPush's, with waitForSpace). Why after the copy: once HEAD moves,
   * the writer may overwrite those bytes.
   */
  protected release(start: number, length: number): void {
    todo('release', start, length);
  }
}
