/**
 * Short builders for request packets, so test transcripts read like the protocol:
 * `set('k', 'v', { flags: 5 })`, `get('k')`, `incr('n', 1n, 10n)`.
 * @module
 */
import { NO_CREATE_EXPTIME, Opcode } from '../constants.ts';
import { arithmeticExtras, encodeRequest, exptimeExtras, storeExtras } from '../request-encoder.ts';

/** Optional header fields every builder accepts. */
export interface Extra {
  opaque?: number;
  cas?: number | bigint;
}

/** Options of the storage builders. */
export interface StoreExtra extends Extra {
  flags?: number;
  exptime?: number;
}

type Storage = typeof Opcode.Set | typeof Opcode.SetQ | typeof Opcode.Add | typeof Opcode.AddQ | typeof Opcode.Replace | typeof Opcode.ReplaceQ;

/** Set/Add/Replace and their quiet forms. */
export function store(opcode: Storage, key: string, value: string | Buffer, o: StoreExtra = {}): Buffer {
  return encodeRequest({ opcode, key, value, extras: storeExtras(o.flags ?? 0, o.exptime ?? 0), opaque: o.opaque, cas: o.cas });
}

export const set = (key: string, value: string | Buffer, o: StoreExtra = {}): Buffer => store(Opcode.Set, key, value, o);
export const setq = (key: string, value: string | Buffer, o: StoreExtra = {}): Buffer => store(Opcode.SetQ, key, value, o);
export const add = (key: string, value: string | Buffer, o: StoreExtra = {}): Buffer => store(Opcode.Add, key, value, o);
export const replace = (key: string, value: string | Buffer, o: StoreExtra = {}): Buffer => store(Opcode.Replace, key, value, o);

/** Any opcode that carries only a key: Get, GetK, Delete, Stat and their quiet forms. */
export function keyed(opcode: number, key: string, o: Extra = {}): Buffer {
  return encodeRequest({ opcode, key, opaque: o.opaque, cas: o.cas });
}

export const get = (key: string, o: Extra = {}): Buffer => keyed(Opcode.Get, key, o);

/** Append/Prepend and their quiet forms. */
export function concat(opcode: number, key: string, value: string, o: Extra = {}): Buffer {
  return encodeRequest({ opcode, key, value, opaque: o.opaque, cas: o.cas });
}

/** Increment/Decrement and their quiet forms; `exptime` 0xffffffff (the default here) creates nothing. */
export function arith(opcode: number, key: string, delta: bigint, initial = 0n, exptime = NO_CREATE_EXPTIME, o: Extra = {}): Buffer {
  return encodeRequest({ opcode, key, extras: arithmeticExtras(delta, initial, exptime), opaque: o.opaque, cas: o.cas });
}

/** Touch, GAT, GATK and their quiet forms. */
export function touching(opcode: number, key: string, exptime: number, o: Extra = {}): Buffer {
  return encodeRequest({ opcode, key, extras: exptimeExtras(exptime), opaque: o.opaque });
}

/** Flush/FlushQ, with an optional delay. */
export function flush(opcode: number = Opcode.Flush, delay?: number, o: Extra = {}): Buffer {
  return encodeRequest({ opcode, extras: delay === undefined ? undefined : exptimeExtras(delay), opaque: o.opaque });
}

/** Requests with no body: Noop, Version, Quit, QuitQ, and Stat without a group. */
export function bare(opcode: number, o: Extra = {}): Buffer {
  return encodeRequest({ opcode, opaque: o.opaque });
}
