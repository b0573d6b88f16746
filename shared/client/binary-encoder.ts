/**
 * Turns a {@link Request} into memcached binary-protocol packets, built with the protocol's own
 * request encoder (shared/protocol/binary). Every request gets a fresh opaque, which the server
 * echoes in its reply; a multi-key get is one quiet GetKQ per key and a Noop that ends the reply.
 * @module
 */
import { NO_CREATE_EXPTIME, Opcode } from '../protocol/binary/constants.ts';
import { arithmeticExtras, encodeRequest, exptimeExtras, storeExtras } from '../protocol/binary/request-encoder.ts';
import { ClientError } from './client-errors.ts';
import type { Request, StoreOptions } from './request.ts';
import { checkKey } from './text-encoder.ts';

/** Flags, exptimes and flush delays are unsigned 32-bit fields. */
const MAX_U32 = 0xffff_ffff;
/** incr/decr deltas and CAS tokens are unsigned 64-bit. */
const MAX_U64 = 2n ** 64n - 1n;
/**
 * What a negative exptime (text: "expired at once") becomes: 30 days + 1 s, the smallest value
 * memcached reads as a Unix time rather than an offset. As a Unix time it is 1970-01-31, long
 * past, so the item expires at once, exactly as in the text protocol.
 */
const EXPIRED_EXPTIME = 2_592_001;
/** An incr/decr that finds no key answers Not found, as in text; the initial value is never used. */
const UNUSED_INITIAL = 0n;

const STORE_OPCODES = {
  set: Opcode.Set,
  add: Opcode.Add,
  replace: Opcode.Replace,
  append: Opcode.Append,
  prepend: Opcode.Prepend,
  cas: Opcode.Set,
} as const;

/**
 * The opaque of the next request. It counts up from 1 and wraps at 2^32, so two requests in
 * flight never share one unless four billion others were sent in between.
 */
let nextOpaque = 0;

function takeOpaque(): number {
  nextOpaque = (nextOpaque + 1) >>> 0;
  return nextOpaque;
}

function checkU32(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U32) {
    throw new ClientError('BAD_REQUEST', `${name} must be an integer from 0 to ${MAX_U32} in the binary protocol (got ${value})`);
  }
}

function checkU64(name: string, value: bigint, min: bigint): void {
  if (value < min || value > MAX_U64) throw new ClientError('BAD_REQUEST', `${name} must be from ${min} to ${MAX_U64} (got ${value})`);
}

/** A text-protocol exptime as the binary protocol's u32. */
function binaryExptime(exptime: number): number {
  if (Number.isInteger(exptime) && exptime < 0) return EXPIRED_EXPTIME;
  checkU32('exptime', exptime);
  return exptime;
}

function storeExtrasFor(options: StoreOptions): Buffer {
  const flags = options.flags ?? 0;
  checkU32('flags', flags);
  return storeExtras(flags, binaryExptime(options.exptime ?? 0));
}

/**
 * A get of one key is a single GetK (its miss is a loud Not found). A get of several is a quiet
 * GetKQ per key — the server answers only the hits — then a Noop, whose reply ends the result.
 */
function encodeGet(keys: readonly string[], opaque: number): Buffer {
  if (keys.length === 1) return encodeRequest({ opcode: Opcode.GetK, key: keys[0], opaque });
  const packets = keys.map((key) => encodeRequest({ opcode: Opcode.GetKQ, key, opaque }));
  packets.push(encodeRequest({ opcode: Opcode.Noop, opaque }));
  return Buffer.concat(packets);
}

/** Encodes `request` as one or more binary packets; throws `BAD_REQUEST` for invalid input. */
export function encodeBinary(request: Request): Buffer {
  const opaque = takeOpaque();
  switch (request.op) {
    case 'get':
    case 'gets':
      // Binary replies always carry the CAS, so get and gets are the same request.
      if (request.keys.length === 0) throw new ClientError('BAD_REQUEST', `${request.op} needs at least one key`);
      request.keys.forEach(checkKey);
      return encodeGet(request.keys, opaque);
    case 'set':
    case 'add':
    case 'replace':
      checkKey(request.key);
      return encodeRequest({ opcode: STORE_OPCODES[request.op], key: request.key, extras: storeExtrasFor(request), value: request.value, opaque });
    case 'append':
    case 'prepend':
      // These keep the item's flags and exptime, so the protocol gives them no extras.
      checkKey(request.key);
      return encodeRequest({ opcode: STORE_OPCODES[request.op], key: request.key, value: request.value, opaque });
    case 'cas':
      checkKey(request.key);
      // A request CAS of 0 means "no check" in the binary protocol, so it cannot be sent as a token.
      checkU64('cas', request.cas, 1n);
      return encodeRequest({ opcode: Opcode.Set, key: request.key, extras: storeExtrasFor(request), value: request.value, cas: request.cas, opaque });
    case 'delete':
      checkKey(request.key);
      return encodeRequest({ opcode: Opcode.Delete, key: request.key, opaque });
    case 'incr':
    case 'decr':
      checkKey(request.key);
      checkU64('delta', request.delta, 0n);
      return encodeRequest({
        opcode: request.op === 'incr' ? Opcode.Increment : Opcode.Decrement,
        key: request.key,
        extras: arithmeticExtras(request.delta, UNUSED_INITIAL, NO_CREATE_EXPTIME),
        opaque,
      });
    case 'touch':
      checkKey(request.key);
      return encodeRequest({ opcode: Opcode.Touch, key: request.key, extras: exptimeExtras(binaryExptime(request.exptime)), opaque });
    case 'flush_all':
      if (request.delay === undefined) return encodeRequest({ opcode: Opcode.Flush, opaque });
      checkU32('delay', request.delay);
      return encodeRequest({ opcode: Opcode.Flush, extras: exptimeExtras(request.delay), opaque });
    case 'version':
      return encodeRequest({ opcode: Opcode.Version, opaque });
    case 'stats':
      if (request.group === undefined) return encodeRequest({ opcode: Opcode.Stat, opaque });
      checkKey(request.group);
      return encodeRequest({ opcode: Opcode.Stat, key: request.group, opaque });
  }
}
