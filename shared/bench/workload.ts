/**
 * The benchmark's requests, built once before the clock starts: one `get` and one `set` buffer per
 * key, in the run's protocol, so the hot loop only picks a buffer and writes it. Choices come from xorshift32, a PRNG
 * with a fixed seed, so every target sees the same request sequence.
 * @module
 */
import type { ReplyShape } from '../client/reply.ts';
import { textCodec } from '../client/text-codec.ts';
import type { Codec } from '../client/codec.ts';

/** What the load consists of. */
export interface WorkloadSpec {
  /** Distinct keys; requests pick among them uniformly. */
  readonly keys: number;
  /** Bytes in every stored value. */
  readonly valueSize: number;
  /** Fraction of requests that are gets; the rest are sets. */
  readonly getRatio: number;
}

/**
 * The most request bytes built up front. Past this the table would crowd the server's memory on
 * a 24 GiB machine; a bigger key space or value size must be traded against each other.
 */
export const MAX_TABLE_BYTES = 256 * 1024 * 1024;
/**
 * Bytes of a set request besides its value, rounded up: text `set kvlab:00000000 0 0 N\r\n` and
 * the data block's `\r\n` come to about 35; binary's 24-byte header, 8 bytes of extras and the
 * 14-byte key to 46.
 */
const SET_OVERHEAD = 48;
/** Width of the zero-padded key number: enough for 10^8 keys, and every key has the same length. */
const KEY_DIGITS = 8;

/** The key with index `i`. */
export function keyName(i: number): string {
  return `kvlab:${String(i).padStart(KEY_DIGITS, '0')}`;
}

/** Encoded requests for every key. */
export class RequestTable {
  /** A get of each key (text: `get <key>`). */
  readonly gets: readonly Buffer[];
  /** A set of each key with the value (text: `set <key> 0 0 <valueSize>` and the data block). */
  readonly sets: readonly Buffer[];
  /** The value every set stores. */
  readonly value: Buffer;
  readonly getShape: ReplyShape;
  readonly setShape: ReplyShape;

  /** Throws a RangeError when the table would exceed {@link MAX_TABLE_BYTES}. */
  constructor(spec: WorkloadSpec, codec: Codec = textCodec) {
    const setBytes = spec.valueSize + SET_OVERHEAD;
    if (spec.keys * setBytes > MAX_TABLE_BYTES) {
      throw new RangeError(`keys × value size needs ${spec.keys * setBytes} bytes of prebuilt requests; the limit is ${MAX_TABLE_BYTES}`);
    }
    // The value's bytes are printable and the same for every key: the server stores them as they are.
    const value = Buffer.alloc(spec.valueSize, 'v');
    this.value = value;
    const gets: Buffer[] = [];
    const sets: Buffer[] = [];
    // Each binary request carries its own opaque, fixed here: a buffer sent again echoes the same one.
    for (let i = 0; i < spec.keys; i++) {
      const key = keyName(i);
      gets.push(codec.encode({ op: 'get', keys: [key] }));
      sets.push(codec.encode({ op: 'set', key, value }));
    }
    this.getShape = codec.shapeOf({ op: 'get', keys: [keyName(0)] });
    this.setShape = codec.shapeOf({ op: 'set', key: keyName(0), value });
    this.gets = gets;
    this.sets = sets;
  }
}

/** xorshift32 (Marsaglia 2003): fast, allocation-free, and good enough to pick keys. */
export class Xorshift32 {
  private state: number;

  /** @param seed - any non-zero 32-bit integer; the same seed gives the same sequence */
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 2 ** 32;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}
