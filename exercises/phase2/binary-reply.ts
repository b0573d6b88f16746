/**
 * Exercise 2.2 — the binary protocol's response header, and the reply to a Get. Every response
 * starts with the same 24 bytes; a stored value follows as its own piece, never copied.
 * Stands in for shared/protocol/binary/binary-reply.ts.
 *
 *   byte 0 magic 0x81 | 1 opcode | 2–3 key length | 4 extras length | 5 data type (0) |
 *   6–7 status | 8–11 body length | 12–15 opaque | 16–23 CAS            (all big-endian)
 * @module
 */
import type { Item } from '../../shared/store/store.ts';
import { COUNTER_LENGTH, HEADER_LENGTH, Status, STATUS_TEXT } from '../../shared/protocol/binary/constants.ts';
import { todo } from '../../shared/course/todo.ts';

/**
 * TODO: write the 24-byte response header into `target` at `offset` (see the layout above; the
 * offsets are named in `Header` in shared/protocol/binary/constants.ts, the magic is
 * MAGIC_RESPONSE). `cas` is a bigint, because the field is 64 bits and a client may choose any
 * of them: Buffer's `writeBigUInt64BE` writes it (0n, the usual case, can be two u32 zeros). Why by hand: one small buffer per response,
 * no intermediate objects.
 */
export function writeResponseHeader(
  target: Buffer, offset: number, opcode: number, status: Status, extrasLength: number,
  keyLength: number, bodyLength: number, opaque: number, cas: bigint,
): void {
  todo('writeResponseHeader', target, offset, opcode, status, extrasLength, keyLength, bodyLength, opaque, cas);
}

const STATUS_BODY = Object.fromEntries(Object.entries(STATUS_TEXT).map(([status, text]) => [status, Buffer.from(text, 'latin1')]));

/** Accumulates the responses to one or more requests, as pieces for one write. */
export class BinaryReply {
  chunks: Buffer[] = [];
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
    const text = STATUS_BODY[status]!;
    const head = Buffer.allocUnsafe(HEADER_LENGTH + text.length);
    writeResponseHeader(head, 0, opcode, status, 0, 0, text.length, opaque, 0n);
    text.copy(head, HEADER_LENGTH);
    this.push(head);
  }

  /**
   * TODO: a Get/GAT/Touch hit. One buffer holds the header, the item's flags as 4 bytes of extras
   * (Extras.FLAGS in constants.ts) and, when `withKey` (GetK, GATK), the key; the body length counts extras, key
   * and value; the CAS is the item's. Then, when `withValue` and the value is not empty, push
   * `item.value` itself as the next piece. Why not copy it in: a later phase writes stored bytes
   * straight from the store, and a 1 MiB value copied per Get would cost more than the Get.
   */
  item(opcode: number, opaque: number, item: Item, withKey: boolean, withValue: boolean): void {
    todo('item', opcode, opaque, item, withKey, withValue);
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
