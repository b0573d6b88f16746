/**
 * Reference answer to exercise 2.2 (binary-reply): the reply builder phase 2 runs,
 * shared/protocol/binary/binary-reply.ts, re-exported so the two can never drift. Why it is
 * written so:
 *
 * - One function writes every header, at an offset into a buffer the caller sized for header,
 *   extras and key together: one allocation per response and no intermediate objects.
 * - The fields are written with Buffer's big-endian writers (`writeUInt16BE`, `writeUInt32BE`).
 *   The data type byte is always 0 ("raw bytes"), and must be written: `allocUnsafe` memory holds
 *   whatever was there before.
 * - The 64-bit CAS is two u32 writes (`Math.floor(cas / 2^32)` and `cas % 2^32`) rather than a
 *   BigInt conversion per reply: CAS values stay below 2^53, where a double is exact.
 * - A Get hit pushes `item.value` as its own piece. The body length still counts it, because the
 *   header describes the packet, not the buffer it happens to sit in; writev sends the pieces as
 *   one packet.
 * @module
 */
export * from '../../shared/protocol/binary/binary-reply.ts';
