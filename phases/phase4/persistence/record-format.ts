/**
 * The bytes of one persistence record, in the log and in snapshots alike:
 *
 *   [u32 length][u32 crc32][payload: u8 kind, kind's fields…]     (little-endian)
 *
 * `length` counts the payload and `crc32` covers it, so a reader knows where a record ends before
 * trusting it, and a record cut short or damaged by a crash fails its checksum. Records state the
 * *result* of a command (the item as stored, the counter's new value), never the command, so
 * replaying them needs no clock and no protocol: expiry is an absolute time, CAS the one handed out.
 * @module
 */
import { crc32 } from 'node:zlib';

/** Bytes before the payload: its length and its checksum. */
export const HEADER_BYTES = 8;
/** The largest payload a reader believes (1 GiB): a longer length field is damage, not data. */
export const MAX_PAYLOAD_BYTES = 2 ** 30;

/** What a record says happened. */
export const RecordKind = {
  /** The item now is exactly this (set, add, replace, cas, a created counter, mg's vivify). */
  Set: 1,
  Delete: 2,
  /** The item's value gained these bytes at its end (append) or start (prepend), and a new CAS. */
  Append: 3,
  Prepend: 4,
  /** The item's expiry is now this (touch, gat, mg T). */
  Touch: 5,
  /** The counter's value is now this, with a new CAS (incr, decr, ma). */
  Counter: 6,
  /** flush_all: every item stored before `at` is gone from `at` on (0: now). */
  Flush: 7,
  /** md with I: the item stays, marked stale, with a new CAS and maybe a new expiry. */
  Invalidate: 8,
  /** A delayed flush_all's moment has passed: items stored from now on are not affected. */
  FlushPassed: 9,
  /** A snapshot's last record: how many items it holds and the highest CAS ever handed out. */
  End: 10,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** An expiry field meaning "leave the expiry as it is" (Invalidate without T). */
export const KEEP_EXPIRY = -2;

/** Fixed bytes after the kind, by kind (the key and value follow where a kind has them). */
const SET_FIXED = 1 + 4 + 8 + 8 + 2; // bits, flags, expiresAt, cas, key length
const CAS_KEY_FIXED = 8 + 2; // cas, key length (append, prepend)

/** An item as a Set record carries it. */
export interface ItemRecord {
  readonly key: string;
  readonly flags: number;
  /** Absolute expiry in ms since the epoch; 0 = never. */
  readonly expiresAt: number;
  readonly cas: bigint;
  readonly value: Uint8Array;
  /** The key arrived base64-encoded (meta's b). */
  readonly binaryKey: boolean;
}

/** Bit 0 of a Set record's bits byte: the key is a base64 key. */
const BIT_BINARY_KEY = 1;

/**
 * Builds records into one growing buffer that the log writer takes whole: no allocation per
 * record once the buffer is large enough (it doubles when it is not).
 */
export class RecordBuilder {
  private buffer: Buffer;
  private used = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes built and not yet taken. */
  get bytes(): number {
    return this.used;
  }

  /** Hands over the records built so far as one buffer (a copy: the builder reuses its own). */
  take(): Buffer {
    const out = Buffer.from(this.buffer.subarray(0, this.used));
    this.used = 0;
    return out;
  }

  /** A Set record: the item exactly as stored. */
  set(item: ItemRecord): void {
    const start = this.begin(RecordKind.Set, SET_FIXED + item.key.length + item.value.length);
    const b = this.buffer;
    let at = start;
    b[at++] = item.binaryKey ? BIT_BINARY_KEY : 0;
    at = b.writeUInt32LE(item.flags >>> 0, at);
    at = b.writeDoubleLE(item.expiresAt, at);
    at = b.writeBigUInt64LE(item.cas, at);
    at = this.key(item.key, at);
    b.set(item.value, at);
    this.seal(start - 1);
  }

  /** A Delete record. */
  delete(key: string): void {
    const start = this.begin(RecordKind.Delete, 2 + key.length);
    this.key(key, start);
    this.seal(start - 1);
  }

  /** An Append (or Prepend) record: the bytes added and the item's new CAS. */
  concat(append: boolean, key: string, cas: bigint, chunk: Uint8Array): void {
    const start = this.begin(append ? RecordKind.Append : RecordKind.Prepend, CAS_KEY_FIXED + key.length + chunk.length);
    const at = this.key(key, this.buffer.writeBigUInt64LE(cas, start));
    this.buffer.set(chunk, at);
    this.seal(start - 1);
  }

  /** A Touch record: the item's new absolute expiry. */
  touch(key: string, expiresAt: number): void {
    const start = this.begin(RecordKind.Touch, 8 + 2 + key.length);
    this.key(key, this.buffer.writeDoubleLE(expiresAt, start));
    this.seal(start - 1);
  }

  /** A Counter record: incr/decr's new value and the item's new CAS. */
  counter(key: string, value: bigint, cas: bigint): void {
    const start = this.begin(RecordKind.Counter, 16 + 2 + key.length);
    const at = this.buffer.writeBigUInt64LE(value, start);
    this.key(key, this.buffer.writeBigUInt64LE(cas, at));
    this.seal(start - 1);
  }

  /** A Flush record: flush_all at `at` (ms since the epoch; 0: now). */
  flush(at: number): void {
    const start = this.begin(RecordKind.Flush, 8);
    this.buffer.writeDoubleLE(at, start);
    this.seal(start - 1);
  }

  /** A FlushPassed record: a delayed flush_all's moment has come. */
  flushPassed(): void {
    this.seal(this.begin(RecordKind.FlushPassed, 0) - 1);
  }

  /** An Invalidate record (md with I): the new CAS and expiry ({@link KEEP_EXPIRY}: unchanged). */
  invalidate(key: string, cas: bigint, expiresAt: number): void {
    const start = this.begin(RecordKind.Invalidate, 16 + 2 + key.length);
    const at = this.buffer.writeBigUInt64LE(cas, start);
    this.key(key, this.buffer.writeDoubleLE(expiresAt, at));
    this.seal(start - 1);
  }

  /** Writes a snapshot's End record. */
  endOfSnapshot(items: number, maxCas: bigint): void {
    const start = this.begin(RecordKind.End, 16);
    const at = this.buffer.writeBigUInt64LE(BigInt(items), start);
    this.buffer.writeBigUInt64LE(maxCas, at);
    this.seal(start - 1);
  }

  /** Reserves a record of `fields` bytes after its kind; returns where the fields start. */
  private begin(kind: RecordKind, fields: number): number {
    const total = HEADER_BYTES + 1 + fields;
    if (this.used + total > this.buffer.length) this.grow(this.used + total);
    const b = this.buffer;
    b.writeUInt32LE(1 + fields, this.used);
    b[this.used + HEADER_BYTES] = kind;
    return this.used + HEADER_BYTES + 1;
  }

  private key(key: string, at: number): number {
    at = this.buffer.writeUInt16LE(key.length, at);
    return at + this.buffer.write(key, at, 'latin1');
  }

  /** Seals the record whose payload starts at `payload`: its checksum, and the builder moves past it. */
  private seal(payload: number): void {
    const b = this.buffer;
    const length = b.readUInt32LE(payload - HEADER_BYTES);
    b.writeUInt32LE(crc32(b.subarray(payload, payload + length)), payload - 4);
    this.used = payload + length;
  }

  private grow(needed: number): void {
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }
}
