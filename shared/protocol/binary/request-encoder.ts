/**
 * The client's side of the binary protocol, request half: builds request packets. Tests, the
 * conformance suite and clients use it; each header length can be overridden so a test can send
 * exactly the malformed header it means to.
 * @module
 */
import { Extras, Header, HEADER_LENGTH, MAGIC_REQUEST, TWO_POW_32 } from './constants.ts';

/** A request to encode. Lengths default to the actual sizes of extras, key and value. */
export interface RequestFields {
  readonly opcode: number;
  readonly opaque?: number;
  /** The request CAS (0 = none); a bigint reaches the whole u64 range. */
  readonly cas?: number | bigint;
  readonly extras?: Uint8Array;
  /** A string key is encoded as latin1 (one byte per character). */
  readonly key?: string | Uint8Array;
  readonly value?: string | Uint8Array;
  /** Overrides, to send a header that lies about its body. */
  readonly magic?: number;
  readonly extrasLength?: number;
  readonly keyLength?: number;
  readonly bodyLength?: number;
}

function bytes(data: string | Uint8Array | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
}

/** The bytes of one request packet. */
export function encodeRequest(fields: RequestFields): Buffer {
  const extras = fields.extras ?? new Uint8Array(0);
  const key = bytes(fields.key);
  const value = bytes(fields.value);
  const packet = Buffer.alloc(HEADER_LENGTH + extras.length + key.length + value.length);
  packet[Header.MAGIC] = fields.magic ?? MAGIC_REQUEST;
  packet[Header.OPCODE] = fields.opcode;
  packet.writeUInt16BE(fields.keyLength ?? key.length, Header.KEY_LENGTH);
  packet[Header.EXTRAS_LENGTH] = fields.extrasLength ?? extras.length;
  packet.writeUInt32BE(fields.bodyLength ?? extras.length + key.length + value.length, Header.BODY_LENGTH);
  packet.writeUInt32BE(fields.opaque ?? 0, Header.OPAQUE);
  const cas = fields.cas ?? 0;
  if (typeof cas === 'bigint') {
    packet.writeBigUInt64BE(cas, Header.CAS);
  } else {
    packet.writeUInt32BE(Math.floor(cas / TWO_POW_32), Header.CAS);
    packet.writeUInt32BE(cas % TWO_POW_32, Header.CAS + 4);
  }
  packet.set(extras, HEADER_LENGTH);
  packet.set(key, HEADER_LENGTH + extras.length);
  packet.set(value, HEADER_LENGTH + extras.length + key.length);
  return packet;
}

/** Set/Add/Replace extras: flags and exptime. */
export function storeExtras(flags: number, exptime: number): Buffer {
  const extras = Buffer.alloc(Extras.STORE);
  extras.writeUInt32BE(flags, 0);
  extras.writeUInt32BE(exptime, 4);
  return extras;
}

/** Increment/Decrement extras: delta, initial value, exptime (0xffffffff = do not create). */
export function arithmeticExtras(delta: bigint, initial: bigint, exptime: number): Buffer {
  const extras = Buffer.alloc(Extras.ARITHMETIC);
  extras.writeBigUInt64BE(delta, 0);
  extras.writeBigUInt64BE(initial, 8);
  extras.writeUInt32BE(exptime, 16);
  return extras;
}

/** Touch/GAT/Flush extras: one exptime. */
export function exptimeExtras(exptime: number): Buffer {
  const extras = Buffer.alloc(Extras.EXPTIME);
  extras.writeUInt32BE(exptime, 0);
  return extras;
}
