/**
 * Exercise 2.1 — the records phase 2's event loop and its workers pass through the rings: a
 * 5-byte header, then the payload. `[u32 connection id, big-endian][u8 kind][payload …]`.
 * Stands in for phases/phase2/ring-records.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

// Given: the header size and the kinds, from the layout the real module uses too. When your code
// needs RECORD_HEADER, add it to this import.
import type { RecordKind } from '../../phases/phase2/ring-record-layout.ts';

export { RECORD_HEADER, RecordKind } from '../../phases/phase2/ring-record-layout.ts';

/**
 * TODO: a new Uint8Array of RECORD_HEADER + payload bytes: the connection id as an unsigned
 * 32-bit big-endian number in bytes 0–3, the kind in byte 4, then the payload (if any). Why one
 * contiguous array: the ring copies a record in one piece.
 */
export function encodeRecord(connection: number, kind: RecordKind, payload?: Uint8Array): Uint8Array {
  return todo('encodeRecord', connection, kind, payload);
}

/** TODO: the connection id in bytes 0–3, read back as an *unsigned* 32-bit number (0 … 2^32 − 1). */
export function recordConnection(record: Uint8Array): number {
  return todo('recordConnection', record);
}

/** TODO: the record's kind (byte 4). */
export function recordKind(record: Uint8Array): RecordKind {
  return todo('recordKind', record);
}

/**
 * TODO: the payload as a Buffer that *views* the record's memory (no copy). Mind that `record`
 * may itself be a view that starts inside a bigger buffer: use its byteOffset.
 */
export function recordPayload(record: Uint8Array): Buffer {
  return todo('recordPayload', record);
}
