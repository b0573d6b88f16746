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
 * - The 64-bit CAS is a bigint (a client may choose any 64-bit CAS, past where a double is exact).
 *   The usual CAS 0n is written as two u32 zeros, sparing error replies the BigInt arithmetic
 *   inside `writeBigUInt64BE`.
 * - A Get hit pushes `item.value` as its own piece. The body length still counts it, because the
 *   header describes the packet, not the buffer it happens to sit in; writev sends the pieces as
 *   one packet.
 * @module
 */
export * from '../../shared/protocol/binary/binary-reply.ts';
