/**
 * Builds binary-protocol responses as a list of buffers, ready for one `writev`. Each response is
 * one small buffer holding the header, extras and key; a stored value follows as its own piece and
 * is never copied, which is what lets a later phase write stored bytes straight from the store.
 * Keys and texts are latin1 strings: one byte per character, so a string's length is its size.
 * @module
 */
import { valueLengthOf, type Item } from '../../store/store.ts';
import {
  COUNTER_LENGTH, Extras, Header, HEADER_LENGTH, MAGIC_RESPONSE, Status, STATUS_TEXT,
} from './constants.ts';

/**
 * Writes a response header into `target` at `offset`. The data type is always 0 (raw bytes).
 * @param cas - the 64-bit CAS (0n for none)
 */
export function writeResponseHeader(
  target: Buffer, offset: number, opcode: number, status: Status, extrasLength: number,
  keyLength: number, bodyLength: number, opaque: number, cas: bigint,
): void {
  target[offset + Header.MAGIC] = MAGIC_RESPONSE;
  target[offset + Header.OPCODE] = opcode;
  target.writeUInt16BE(keyLength, offset + Header.KEY_LENGTH);
  target[offset + Header.EXTRAS_LENGTH] = extrasLength;
  target[offset + Header.DATA_TYPE] = 0;
  target.writeUInt16BE(status, offset + Header.STATUS);
  target.writeUInt32BE(bodyLength, offset + Header.BODY_LENGTH);
  target.writeUInt32BE(opaque, offset + Header.OPAQUE);
  if (cas === 0n) {
    // Errors and most successes carry no CAS: two plain writes instead of BigInt arithmetic.
    target.writeUInt32BE(0, offset + Header.CAS);
    target.writeUInt32BE(0, offset + Header.CAS + 4);
  } else if (cas <= MAX_SAFE_CAS) {
    // Every CAS the store issues itself is below 2^53, so exact as a number: its two halves are
    // written from that, sparing the BigInts writeBigUInt64BE makes (about 100 bytes a stored
    // item's reply, bench:request-cost). `>>> 0` keeps the low 32 bits.
    const value = Number(cas);
    target.writeUInt32BE(Math.floor(value / 2 ** 32), offset + Header.CAS);
    target.writeUInt32BE(value >>> 0, offset + Header.CAS + 4);
  } else {
    target.writeBigUInt64BE(cas, offset + Header.CAS);
  }
}

/** The largest CAS a number holds exactly (2^53 − 1). */
const MAX_SAFE_CAS = BigInt(Number.MAX_SAFE_INTEGER);

/** Each status's body, encoded once: a Get miss is common enough to be a hot path. */
const STATUS_BODY = new Map<Status, Buffer>(
  Object.values(Status).map((status) => [status, Buffer.from(STATUS_TEXT[status], 'latin1')]),
);
const NO_BODY = Buffer.alloc(0);

/** Accumulates the responses to one or more requests. */
export class BinaryReply {
  /** The pieces to write, in order. */
  chunks: Buffer[] = [];
  /** Their total length. */
  bytes = 0;

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /** A header-only success: a stored item's new CAS, or 0 (Delete, Flush, Noop, Quit). */
  success(opcode: number, opaque: number, cas: bigint): void {
    const head = Buffer.allocUnsafe(HEADER_LENGTH);
    writeResponseHeader(head, 0, opcode, Status.Success, 0, 0, 0, opaque, cas);
    this.push(head);
  }

  /** An error: the status and memcached's words for it; CAS 0, no extras, no key. */
  error(opcode: number, opaque: number, status: Status): void {
    const text = STATUS_BODY.get(status) ?? NO_BODY;
    const head = Buffer.allocUnsafe(HEADER_LENGTH + text.length);
    writeResponseHeader(head, 0, opcode, status, 0, 0, text.length, opaque, 0n);
    text.copy(head, HEADER_LENGTH);
    this.push(head);
  }

  /**
   * A Get/GAT/Touch hit: the flags as extras, the key when asked (GetK, GATK), then the value
   * unless it is a Touch. The value goes out as its own piece, uncopied.
   */
  item(opcode: number, opaque: number, item: Item, withKey: boolean, withValue: boolean): void {
    const keyLength = withKey ? item.key.length : 0;
    const valueLength = withValue ? valueLengthOf(item) : 0;
    const head = Buffer.allocUnsafe(HEADER_LENGTH + Extras.FLAGS + keyLength);
    writeResponseHeader(head, 0, opcode, Status.Success, Extras.FLAGS, keyLength,
      Extras.FLAGS + keyLength + valueLength, opaque, item.cas);
    head.writeUInt32BE(item.flags, HEADER_LENGTH);
    if (withKey) head.write(item.key, HEADER_LENGTH + Extras.FLAGS, 'latin1');
    this.push(head);
    if (valueLength === 0) return;
    if (item.pieces === undefined) this.push(item.value);
    else for (const piece of item.pieces) this.push(piece);
  }

  /** A GetK/GATK miss: status Not found with the key and no words (memcached's exception). */
  keyMiss(opcode: number, opaque: number, key: string): void {
    const head = Buffer.allocUnsafe(HEADER_LENGTH + key.length);
    writeResponseHeader(head, 0, opcode, Status.KeyNotFound, 0, key.length, key.length, opaque, 0n);
    head.write(key, HEADER_LENGTH, 'latin1');
    this.push(head);
  }

  /** An Increment/Decrement result: the new value as a u64 body, and the item's CAS. */
  counter(opcode: number, opaque: number, cas: bigint, value: bigint): void {
    const head = Buffer.allocUnsafe(HEADER_LENGTH + COUNTER_LENGTH);
    writeResponseHeader(head, 0, opcode, Status.Success, 0, 0, COUNTER_LENGTH, opaque, cas);
    head.writeBigUInt64BE(value, HEADER_LENGTH);
    this.push(head);
  }

  /** A success whose body is text (Version). */
  text(opcode: number, opaque: number, body: string): void {
    const head = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
    writeResponseHeader(head, 0, opcode, Status.Success, 0, 0, body.length, opaque, 0n);
    head.write(body, HEADER_LENGTH, 'latin1');
    this.push(head);
  }

  /** One statistic: its name as the key, its value as the body. A Stat reply ends with `stat('', '')`. */
  stat(opcode: number, opaque: number, name: string, value: string): void {
    const head = Buffer.allocUnsafe(HEADER_LENGTH + name.length + value.length);
    writeResponseHeader(head, 0, opcode, Status.Success, 0, name.length, name.length + value.length, opaque, 0n);
    head.write(name, HEADER_LENGTH, 'latin1');
    head.write(value, HEADER_LENGTH + name.length, 'latin1');
    this.push(head);
  }

  /** Drops every piece after the first `count`: the partial reply of a request that failed. */
  truncate(count: number): void {
    while (this.chunks.length > count) this.bytes -= this.chunks.pop()!.length;
  }

  /** Hands over the pieces and starts afresh. */
  take(): Buffer[] {
    const chunks = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    return chunks;
  }
}
