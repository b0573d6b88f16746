/**
 * Reference answer to exercise 2.1 (ring-records): the record codec phase 2 runs,
 * phases/phase2/ring-records.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - A fixed 5-byte header and no length field: the ring already frames each record with its
 *   length, so the record only says whose bytes these are and what they mean.
 * - Big-endian, like memcached's binary protocol, so a hex dump reads left to right.
 * - `recordConnection` shifts the four bytes together and finishes with `>>> 0`: JavaScript's
 *   bitwise operators work on *signed* 32-bit integers, and an id of 2^31 or more would otherwise
 *   come back negative.
 * - `recordPayload` builds a Buffer over `record.buffer` from `record.byteOffset + 5`: a view, so
 *   the bytes popped from the ring reach the parser without a second copy — and the byteOffset
 *   matters because a record can be a view that does not start at 0.
 * @module
 */
export * from '../../phases/phase2/ring-records.ts';
