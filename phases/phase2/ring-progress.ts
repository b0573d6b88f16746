/**
 * The Progress record's payload (see RecordKind.Progress in ring-record-layout.ts), sent by a ring
 * worker after each turn when the loop guards its connections:
 *
 *   [u32 connection id][u8 kind = Progress][u32 requests served][u8 flags]
 *
 * flags: 1 = the session holds half a request, 2 = the turn's requests were refused.
 * @module
 */
import { RECORD_HEADER, RecordKind } from './ring-record-layout.ts';

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
