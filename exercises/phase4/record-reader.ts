/**
 * Exercise 4.3 — a checksummed record reader that stops at a torn tail: hand every valid record of
 * a log to a sink, and say where the valid records end and why — the end, a torn last record (a
 * crash interrupted the append), or corruption in the middle. Stands in for
 * phases/phase4/persistence/record-reader.ts, which phase 4 replays its log with on start.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

// Given: the record layout's constants (HEADER_BYTES = 8: a u32 length, then a u32 CRC-32 of the
// payload, little-endian; MAX_PAYLOAD_BYTES), the stop words and the result's shape. CRC-32 comes
// from node:zlib (`crc32(bytes)`, Node 20.15 and later).
import type { ReadResult, RecordSink } from '../../phases/phase4/persistence/record-stops.ts';

export { ReadStop, type ReadResult, type RecordSink } from '../../phases/phase4/persistence/record-stops.ts';

/**
 * TODO: walk `bytes` record by record — `[u32 length][u32 crc32][payload of length bytes]` — and
 * call `sink(payload, offset)` for each valid one, in order. Stop at the first record that is not
 * whole and valid, and return `{ validBytes, stop }`:
 *
 * - `End` when every byte belonged to a valid record;
 * - `Torn` when the header or the payload reaches past the end of `bytes`, or when the record fails
 *   its checksum (or has length 0, or a length over MAX_PAYLOAD_BYTES) and only zero bytes follow
 *   it — the last append was interrupted, and everything before it is good;
 * - `Corrupt` when such a bad record has non-zero bytes after it.
 *
 * Why the two are told apart: a torn tail is what every crash during an append leaves, and a
 * restart should cut it off and carry on. Damage in the middle means the disk (or something else)
 * changed data that was already acknowledged; guessing past it would replay the records after it
 * without the one that came before — so the server refuses to start until an operator decides.
 * Check each length before reading past it: a damaged length must never make you read or allocate
 * what it claims.
 */
export function readRecords(bytes: Buffer, sink: RecordSink): ReadResult {
  return todo('readRecords', bytes, sink);
}
