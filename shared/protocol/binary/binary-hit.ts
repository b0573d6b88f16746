/**
 * The binary Get's fast path: where a store offers `getInto` (see {@link HitSink}), a hit's
 * response is written straight from the store's memory, under its lock, into one buffer —
 * header, flags, key and the value — instead of the store making an Item, a copy of the value and
 * a BigInt for its CAS, and the reply a header beside them. `npm run bench:request-cost` measured
 * a Get hit's allocations falling by about half (docs/phase4-memory.md, "The get fast path").
 * @module
 */
import type { HitSink, Item } from '../../store/store.ts';
import { Extras, Header, HEADER_LENGTH, Status } from './constants.ts';
import { writeResponseHeader, type BinaryReply } from './binary-reply.ts';

/**
 * One per session, reused for every Get: {@link BinaryHits.sink} tells it the request's fields
 * just before the store calls it, so a get makes no closure and no sink of its own.
 */
export class BinaryHits implements HitSink {
  private opcode = 0;
  private opaque = 0;
  /** The key, sent back only by GetK (and GetKQ). */
  private key = '';
  private withKey = false;

  constructor(private readonly out: BinaryReply) {}

  /** The sink for one Get or GetK, loud or quiet: `key` is sent back when `withKey`. */
  sink(opcode: number, opaque: number, key: string, withKey: boolean): HitSink {
    this.opcode = opcode;
    this.opaque = opaque;
    this.key = key;
    this.withKey = withKey;
    return this;
  }

  /**
   * A hit whose value lies in the store's memory: the whole response in one buffer, so a small
   * reply is one allocation and leaves as one piece. The CAS is written from its two halves.
   */
  hitBytes(flags: number, casHigh: number, casLow: number, source: Buffer, start: number, length: number): void {
    const key = this.withKey ? this.key : '';
    const valueAt = HEADER_LENGTH + Extras.FLAGS + key.length;
    const response = Buffer.allocUnsafe(valueAt + length);
    writeResponseHeader(response, 0, this.opcode, Status.Success, Extras.FLAGS, key.length, Extras.FLAGS + key.length + length, this.opaque, 0n);
    response.writeUInt32BE(casHigh, Header.CAS);
    response.writeUInt32BE(casLow, Header.CAS + 4);
    response.writeUInt32BE(flags, HEADER_LENGTH);
    if (key.length > 0) response.write(key, HEADER_LENGTH + Extras.FLAGS, 'latin1');
    source.copy(response, valueAt, start, start + length);
    // The reply's pieces are its public fields (they are what the connection writes): appended
    // as BinaryReply's own methods append, which keeps this file working with any BinaryReply.
    this.out.chunks.push(response);
    this.out.bytes += response.length;
  }

  /** A hit the store hands over as an Item (a value lent as pinned views, or stored in pieces): the usual response. */
  hitItem(item: Item): void {
    this.out.item(this.opcode, this.opaque, item, this.withKey, true);
  }
}
