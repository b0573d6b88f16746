/**
 * Reads checksummed records ([u32 length][u32 crc32][payload], see record-format.ts) from bytes,
 * and says where the good ones end and why. A crash while appending leaves the last record cut
 * short (or, on some file systems, padded with zeros): that is a *torn tail* and everything before
 * it is good. A record that fails its checksum with real data after it is *corruption* — the disk
 * or something else damaged the middle of the log, and no one may guess past it silently.
 * @module
 */
import { crc32 } from 'node:zlib';
import { HEADER_BYTES, MAX_PAYLOAD_BYTES } from './record-format.ts';
import { ReadStop, type ReadResult, type RecordSink } from './record-stops.ts';

export { ReadStop, type ReadResult, type RecordSink } from './record-stops.ts';

/** Whether every byte of `bytes` from `from` on is zero. */
function zerosFrom(bytes: Buffer, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Hands every valid record in `bytes` to `sink`, in order, and stops at the first one that is
 * incomplete or fails its checksum. Limits first: a length is checked before anything is read
 * past it, so a damaged length field never makes the reader allocate or wander.
 */
export function readRecords(bytes: Buffer, sink: RecordSink): ReadResult {
  let at = 0;
  while (at < bytes.length) {
    // A header cut short: only the last record can be unfinished.
    if (at + HEADER_BYTES > bytes.length) return { validBytes: at, stop: ReadStop.Torn };
    const length = bytes.readUInt32LE(at);
    const end = at + HEADER_BYTES + length;
    // The record's bytes reach past what was written: the append never finished.
    if (end > bytes.length) return { validBytes: at, stop: ReadStop.Torn };
    const payload = bytes.subarray(at + HEADER_BYTES, end);
    if (length === 0 || length > MAX_PAYLOAD_BYTES || crc32(payload) !== bytes.readUInt32LE(at + 4)) {
      // Damaged, but nothing written after it: the last append was torn. Anything after it: corrupt.
      return { validBytes: at, stop: zerosFrom(bytes, end) ? ReadStop.Torn : ReadStop.Corrupt };
    }
    sink(payload, at);
    at = end;
  }
  return { validBytes: at, stop: ReadStop.End };
}
