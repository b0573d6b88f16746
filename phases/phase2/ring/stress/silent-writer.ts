/**
 * A deliberately broken ring for the lost-wakeup test to catch: its writer publishes TAIL but never
 * notifies a sleeping reader, so the reader wakes only when its wait runs out. The rest is the
 * real ring.
 * @module
 */
import { PADDING_MARKER, RECORD_HEADER_BYTES, Slot } from '../ring-layout.ts';
import { align4, RingWriterBase } from '../ring-sides.ts';

export { createRing, EMPTY, RingReader } from '../ring-buffer.ts';

/** The real tryPush without its last line (the notify). */
export class RingWriter extends RingWriterBase {
  tryPush(record: Uint8Array): boolean {
    const size = align4(RECORD_HEADER_BYTES + record.length);
    const offset = this.tail & this.mask;
    const padding = this.paddingFor(size);
    if (!this.hasRoom(padding + size)) return false;
    if (padding > 0) this.words[offset >> 2] = PADDING_MARKER;
    const start = padding > 0 ? 0 : offset;
    this.words[start >> 2] = record.length;
    this.bytes.set(record, start + RECORD_HEADER_BYTES);
    this.tail = (this.tail + padding + size) | 0;
    Atomics.store(this.control, Slot.TAIL, this.tail);
    return true;
  }
}
