/**
 * Reference answer to exercise 4.3 (record-reader): the reader phase 4 replays its log and
 * snapshots with, phases/phase4/persistence/record-reader.ts, re-exported so the two can never
 * drift. Why it is written so:
 *
 * - The header is checked to fit before its length is read, and the payload's end before the
 *   checksum is computed: a damaged length never makes the reader look past the bytes it has.
 * - A bad record is torn only when nothing but zeros follows it — the shapes a crash during an
 *   append leaves (a short write, or blocks the file system had allocated but not filled).
 * - Payloads are views (subarray) into the bytes, so replay copies only what it keeps.
 * @module
 */
export * from '../../phases/phase4/persistence/record-reader.ts';
