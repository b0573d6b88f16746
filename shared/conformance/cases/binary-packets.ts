/**
 * memcached's binary packets as the cases write them: a 24-byte header (magic, opcode, key
 * length, extras length, status, body length, opaque, CAS — every field big-endian), then
 * extras, key and value. Requests are exact bytes; a success is checked as exact bytes except the
 * CAS, which the server chooses; an error carries CAS 0 and memcached's message as its body.
 * @module
 */
import { literal, matching, type Reply } from '../transcript.ts';

const REQUEST_MAGIC = 0x80;
const RESPONSE_MAGIC = 0x81;
const HEADER_BYTES = 24;

/** The opcodes the cases use. */
export const Opcode = {
  Get: 0x00, Set: 0x01, Version: 0x0b, GetQ: 0x09, Noop: 0x0a,
  SaslListMechs: 0x20, SaslAuth: 0x21, SaslStep: 0x22,
} as const;

/** The response statuses the cases expect. */
export const Status = {
  Ok: 0x0000, NotFound: 0x0001, InvalidArguments: 0x0004, AuthError: 0x0020, AuthContinue: 0x0021,
} as const;

/** The fields of one packet; what is left out is empty. */
export interface Packet {
  readonly opcode: number;
  readonly key?: string;
  readonly extras?: Buffer;
  readonly value?: string;
  readonly opaque: number;
  /** A response's status (requests have none). */
  readonly status?: number;
}

/** The latin1 string of a packet with CAS 0. */
function packet(magic: number, { opcode, key = '', extras = Buffer.alloc(0), value = '', opaque, status = 0 }: Packet): string {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = magic;
  header[1] = opcode;
  header.writeUInt16BE(key.length, 2);
  header[4] = extras.length;
  header.writeUInt16BE(status, 6);
  header.writeUInt32BE(extras.length + key.length + value.length, 8);
  header.writeUInt32BE(opaque, 12);
  return Buffer.concat([header, extras, Buffer.from(key + value, 'latin1')]).toString('latin1');
}

/** A request, as latin1 bytes. */
export function binaryRequest(fields: Packet): string {
  return packet(REQUEST_MAGIC, fields);
}

/**
 * A pattern for a response: exact bytes except the 8-byte CAS at offset 16, which the server
 * chooses (`zeroCas`: it must be zero, as for noop).
 */
export function binaryResponse(fields: Packet, zeroCas = false): Reply {
  const bytes = packet(RESPONSE_MAGIC, fields);
  const cas = zeroCas ? literal('\x00'.repeat(8)) : '[\\s\\S]{8}';
  const pattern = `^${literal(bytes.slice(0, 16))}${cas}${literal(bytes.slice(HEADER_BYTES))}$`;
  return matching(new RegExp(pattern), bytes.length);
}

/** A response with CAS 0 and `message` as its body, exactly as memcached sends errors and SASL replies. */
export function binaryStatus(opcode: number, status: number, opaque: number, message: string): string {
  return packet(RESPONSE_MAGIC, { opcode, status, opaque, value: message });
}

/** Set's extras: 4 bytes of flags, 4 of exptime. */
export function setExtras(flags: number, exptime: number): Buffer {
  const extras = Buffer.alloc(8);
  extras.writeUInt32BE(flags, 0);
  extras.writeUInt32BE(exptime, 4);
  return extras;
}

/** Get's response extras: 4 bytes of flags. */
export function flagsExtras(flags: number): Buffer {
  const extras = Buffer.alloc(4);
  extras.writeUInt32BE(flags, 0);
  return extras;
}
