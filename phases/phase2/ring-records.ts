/**
 * The records phase 2's event loop and its workers exchange through the rings. The loop thread
 * owns every socket; a worker owns the protocol sessions of the connections assigned to it. So a
 * record is just "bytes for connection N": request bytes one way, reply bytes the other.
 *
 *   [u32 connection id][u8 kind][payload …]
 * @module
 */
import { RECORD_HEADER, type RecordKind } from './ring-record-layout.ts';

export { RECORD_HEADER, RecordKind } from './ring-record-layout.ts';

/** Builds a record (one copy of the payload: the ring takes one contiguous record). */
export function encodeRecord(connection: number, kind: RecordKind, payload?: Uint8Array): Uint8Array {
  const record = new Uint8Array(RECORD_HEADER + (payload?.length ?? 0));
  new DataView(record.buffer).setUint32(0, connection);
  record[4] = kind;
  if (payload) record.set(payload, RECORD_HEADER);
  return record;
}

/** The connection a record is for. */
export function recordConnection(record: Uint8Array): number {
  return ((record[0]! << 24) | (record[1]! << 16) | (record[2]! << 8) | record[3]!) >>> 0;
}

/** The record's kind. */
export function recordKind(record: Uint8Array): RecordKind {
  return record[4] as RecordKind;
}

/** The payload, as a Buffer view (no copy). */
export function recordPayload(record: Uint8Array): Buffer {
  return Buffer.from(record.buffer, record.byteOffset + RECORD_HEADER, record.length - RECORD_HEADER);
}
