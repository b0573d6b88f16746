/**
 * Binary-protocol packets for client tests: build a response as a server would send it, and read
 * the packets of an encoded request back into their fields.
 * @module
 */
import { Header, HEADER_LENGTH, MAGIC_RESPONSE } from '../../protocol/binary/constants.ts';
import { encodeRequest, type RequestFields } from '../../protocol/binary/request-encoder.ts';

/** A response's fields: a request's, plus the status (0 = success). */
export interface ResponseFields extends RequestFields {
  readonly status?: number;
}

/** The bytes of one response packet. */
export function response(fields: ResponseFields): Buffer {
  // The request and response headers share their layout except at byte 6: vbucket, or status.
  const packet = encodeRequest({ ...fields, magic: MAGIC_RESPONSE });
  packet.writeUInt16BE(fields.status ?? 0, Header.STATUS);
  return packet;
}

/** One packet of an encoded request, read back. */
export interface Packet {
  readonly magic: number;
  readonly opcode: number;
  readonly opaque: number;
  readonly cas: bigint;
  readonly extras: Buffer;
  readonly key: string;
  readonly value: Buffer;
}

/** Every packet in `bytes`, which must hold whole packets only. */
export function packets(bytes: Buffer): Packet[] {
  const found: Packet[] = [];
  for (let at = 0; at < bytes.length;) {
    const extrasLength = bytes[at + Header.EXTRAS_LENGTH]!;
    const keyLength = bytes.readUInt16BE(at + Header.KEY_LENGTH);
    const bodyLength = bytes.readUInt32BE(at + Header.BODY_LENGTH);
    const body = at + HEADER_LENGTH;
    found.push({
      magic: bytes[at + Header.MAGIC]!,
      opcode: bytes[at + Header.OPCODE]!,
      opaque: bytes.readUInt32BE(at + Header.OPAQUE),
      cas: bytes.readBigUInt64BE(at + Header.CAS),
      extras: bytes.subarray(body, body + extrasLength),
      key: bytes.toString('latin1', body + extrasLength, body + extrasLength + keyLength),
      value: bytes.subarray(body + extrasLength + keyLength, body + bodyLength),
    });
    at = body + bodyLength;
  }
  return found;
}
