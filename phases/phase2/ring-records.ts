/**
 * The records phase 2's event loop and its workers exchange through the rings. The loop thread
 * owns every socket; a worker owns the protocol sessions of the connections assigned to it. So a
 * record is just "bytes for connection N": request bytes one way, reply bytes the other.
 *
 *   [u32 connection id][u8 kind][payload …]
 * @module
 */
import { RECORD_HEADER, RecordKind } from './ring-record-layout.ts';

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

/** The bits of a Progress record's flags byte. */
const PROGRESS_PARTIAL = 1;
const PROGRESS_REFUSED = 2;

/** A Progress record: a turn of `served` requests (refused or not), ending with half a request held or not. */
export function encodeProgress(connection: number, served: number, partial: boolean, refused: boolean): Uint8Array {
  const record = new Uint8Array(RECORD_HEADER + 5);
  const view = new DataView(record.buffer);
  view.setUint32(0, connection);
  record[4] = RecordKind.Progress;
  view.setUint32(RECORD_HEADER, served);
  record[RECORD_HEADER + 4] = (partial ? PROGRESS_PARTIAL : 0) | (refused ? PROGRESS_REFUSED : 0);
  return record;
}

/** A Progress record's count of requests served. */
export function progressServed(record: Uint8Array): number {
  const at = RECORD_HEADER;
  return ((record[at]! << 24) | (record[at + 1]! << 16) | (record[at + 2]! << 8) | record[at + 3]!) >>> 0;
}

/** Whether a Progress record says a request is half received. */
export function progressPartial(record: Uint8Array): boolean {
  return (record[RECORD_HEADER + 4]! & PROGRESS_PARTIAL) !== 0;
}

/** Whether a Progress record's requests were refused (the session was refusing) rather than executed. */
export function progressRefused(record: Uint8Array): boolean {
  return (record[RECORD_HEADER + 4]! & PROGRESS_REFUSED) !== 0;
}

/** The payload, as a Buffer view (no copy). */
export function recordPayload(record: Uint8Array): Buffer {
  return Buffer.from(record.buffer, record.byteOffset + RECORD_HEADER, record.length - RECORD_HEADER);
}
