/**
 * The text get's fast path: where a store offers `getInto` (see {@link HitSink}), a hit's
 * `VALUE` reply is written straight from the store's memory, under its lock, into one buffer —
 * instead of the store making an Item, a copy of the value and a BigInt for its CAS, and the reply
 * a header and a CRLF beside them. Measured with `npm run bench:request-cost`
 * (docs/phase4-memory.md, "The get fast path").
 * @module
 */
import type { HitSink, Item } from '../../store/store.ts';
import type { TextReply } from './text-reply.ts';

/**
 * One per session, reused for every key of every get/gets: {@link TextHits.sink} tells it the
 * key and whether the CAS is wanted just before the store calls it, so a get makes no closure.
 */
export class TextHits implements HitSink {
  /**
   * Whether the last hit's reply ended with the get's `END` line: a hit on a get's last key
   * carries it in the same buffer, so the reply is one piece rather than two to be joined.
   */
  ended = false;
  private key = '';
  private withCas = false;
  private last = false;

  constructor(private readonly out: TextReply) {}

  /** The sink for one key of a get (`withCas`: gets); `last`: the get's last key, whose hit may carry the END line. */
  sink(key: string, withCas: boolean, last: boolean): HitSink {
    this.key = key;
    this.withCas = withCas;
    this.last = last;
    this.ended = false;
    return this;
  }

  hitBytes(flags: number, casHigh: number, casLow: number, source: Buffer, start: number, length: number): void {
    this.out.valueFrom(this.key, flags, this.withCas, casHigh, casLow, source, start, length, this.last);
    this.ended = this.last;
  }

  /** A hit the store hands over as an Item (a value lent as pinned views, or stored in pieces): the usual reply. */
  hitItem(item: Item): void {
    this.out.value(item, this.withCas);
  }
}
