/**
 * The client's side of the binary protocol, response half: splits received bytes into response
 * packets. It waits for a whole packet (header, then `bodyLength` bytes) before returning it and
 * leaves any incomplete tail for the next call, so it works at any chunking.
 * @module
 */
import { Header, HEADER_LENGTH, MAGIC_RESPONSE } from './constants.ts';

/** One decoded response. */
export interface BinaryResponse {
  readonly magic: number;
  readonly opcode: number;
  readonly status: number;
  readonly opaque: number;
  readonly cas: bigint;
  readonly extras: Buffer;
  readonly key: Buffer;
  readonly value: Buffer;
}

/** The complete responses found in `bytes`, and the bytes after the last complete one. */
export interface SplitResponses {
  readonly responses: BinaryResponse[];
  readonly rest: Buffer;
}

/**
 * Splits `bytes` into complete responses. Throws on a packet that does not start with the response
 * magic byte: the stream cannot be resynchronised after that.
 */
export function splitResponses(bytes: Buffer): SplitResponses {
  const responses: BinaryResponse[] = [];
  let offset = 0;
  while (bytes.length - offset >= HEADER_LENGTH) {
    const magic = bytes[offset + Header.MAGIC]!;
    if (magic !== MAGIC_RESPONSE) throw new Error(`bad response magic 0x${magic.toString(16)} at byte ${offset}`);
    const bodyLength = bytes.readUInt32BE(offset + Header.BODY_LENGTH);
    if (bytes.length - offset - HEADER_LENGTH < bodyLength) break;
    const extrasLength = bytes[offset + Header.EXTRAS_LENGTH]!;
    const keyLength = bytes.readUInt16BE(offset + Header.KEY_LENGTH);
    const body = offset + HEADER_LENGTH;
    responses.push({
      magic,
      opcode: bytes[offset + Header.OPCODE]!,
      status: bytes.readUInt16BE(offset + Header.STATUS),
      opaque: bytes.readUInt32BE(offset + Header.OPAQUE),
      cas: bytes.readBigUInt64BE(offset + Header.CAS),
      extras: bytes.subarray(body, body + extrasLength),
      key: bytes.subarray(body + extrasLength, body + extrasLength + keyLength),
      value: bytes.subarray(body + extrasLength + keyLength, body + bodyLength),
    });
    offset = body + bodyLength;
  }
  return { responses, rest: bytes.subarray(offset) };
}
