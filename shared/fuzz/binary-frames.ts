/**
 * Frames of memcached's binary protocol: well-formed requests of every opcode the fuzzer may send,
 * the same mutated byte by byte, and headers that lie on purpose — wrong magic, unknown opcodes,
 * key and extras lengths that do not fit the body, keys over 250 bytes, extras of the wrong size
 * for the opcode, body lengths short, long or absurd, stray data type, vbucket and CAS values.
 * Flush is never generated (it would erase the canary); sealing also rewrites any Flush a
 * mutation creates.
 * @module
 */
import { mutate } from './byte-mutators.ts';
import type { Draw } from './draw.ts';
import { fuzzKey, valueBytes, valueLength } from './fuzz-keys.ts';
import { Header, HEADER_LENGTH, MAGIC_REQUEST, Opcode } from '../protocol/binary/constants.ts';
import { arithmeticExtras, encodeRequest, exptimeExtras, storeExtras, type RequestFields } from '../protocol/binary/request-encoder.ts';
import { MAX_KEY_LENGTH } from '../protocol/limits.ts';

const GETS = [Opcode.Get, Opcode.GetQ, Opcode.GetK, Opcode.GetKQ] as const;
const STORES = [Opcode.Set, Opcode.SetQ, Opcode.Add, Opcode.AddQ, Opcode.Replace, Opcode.ReplaceQ] as const;
const CONCATS = [Opcode.Append, Opcode.AppendQ, Opcode.Prepend, Opcode.PrependQ] as const;
const ARITHMETIC = [Opcode.Increment, Opcode.IncrementQ, Opcode.Decrement, Opcode.DecrementQ] as const;
const TOUCHES = [Opcode.Touch, Opcode.GAT, Opcode.GATQ, Opcode.GATK, Opcode.GATKQ] as const;

/** Opcodes that erase every item: never sent, because the canary must survive the run. */
export const FORBIDDEN_OPCODES: ReadonlySet<number> = new Set([Opcode.Flush, Opcode.FlushQ]);

const KNOWN_OPCODES: ReadonlySet<number> = new Set(Object.values(Opcode));

/** Body lengths a server must refuse or skip without allocating: 2^32−1, 2^31, 2^31−1, past 1 MiB. */
const ABSURD_BODY_LENGTHS = [0xffffffff, 0x80000000, 0x7fffffff, 1024 * 1024 + 1, 16 * 1024 * 1024] as const;

function opaque(draw: Draw): number {
  return draw.chance(0.5) ? 0 : draw.uint32();
}

function exptime(draw: Draw): number {
  return draw.weighted([[80, 0], [15, draw.int(1, 1000)], [5, draw.int(2_592_001, 0xffffffff)]]);
}

/** The fields of a well-formed request. */
function validFields(draw: Draw): RequestFields {
  const key = fuzzKey(draw);
  return draw.weighted<() => RequestFields>([
    [25, () => ({ opcode: draw.pick(GETS), key, opaque: opaque(draw) })],
    [25, () => ({
      opcode: draw.pick(STORES), key, opaque: opaque(draw),
      extras: storeExtras(draw.chance(0.8) ? 0 : draw.uint32(), exptime(draw)),
      value: valueBytes(draw, valueLength(draw)),
      cas: draw.chance(0.1) ? draw.int(1, 1000) : 0,
    })],
    [6, () => ({ opcode: draw.pick(CONCATS), key, value: valueBytes(draw, draw.int(0, 64)), opaque: opaque(draw) })],
    [8, () => ({ opcode: draw.pick([Opcode.Delete, Opcode.DeleteQ]), key, opaque: opaque(draw) })],
    [10, () => ({
      opcode: draw.pick(ARITHMETIC), key, opaque: opaque(draw),
      extras: arithmeticExtras(BigInt(draw.int(0, 1000)), BigInt(draw.int(0, 1000)), draw.chance(0.2) ? 0xffffffff : exptime(draw)),
    })],
    [6, () => ({ opcode: draw.pick(TOUCHES), key, extras: exptimeExtras(exptime(draw)), opaque: opaque(draw) })],
    [6, () => ({ opcode: Opcode.Noop, opaque: opaque(draw) })],
    [3, () => ({ opcode: Opcode.Version, opaque: opaque(draw) })],
    [1, () => ({ opcode: Opcode.Stat, key: draw.pick(['', 'settings', 'items', 'slabs']) })],
    // Quit: the server hangs up, which a session must tell from a server that stops answering.
    [0.3, () => ({ opcode: draw.pick([Opcode.Quit, Opcode.QuitQ]) })],
  ])();
}

/** A well-formed request. */
export function validBinaryFrame(draw: Draw): Buffer {
  return encodeRequest(validFields(draw));
}

/** An opcode memcached does not define (and never Flush). */
function unknownOpcode(draw: Draw): number {
  for (;;) {
    const opcode = draw.int(0, 255);
    if (!KNOWN_OPCODES.has(opcode)) return opcode;
  }
}

/** A request with one deliberate fault in its header. */
export function malformedBinaryFrame(draw: Draw): Buffer {
  const fields = validFields(draw);
  const body = (fields.extras?.length ?? 0) + Buffer.byteLength(fields.key ?? '', 'latin1') + (fields.value?.length ?? 0);
  return draw.weighted<() => Buffer>([
    [6, () => encodeRequest({ ...fields, magic: draw.pick([0x81, 0x00, 0xff, 0x7f, draw.int(0, 255)]) })],
    [8, () => encodeRequest({ ...fields, opcode: unknownOpcode(draw) })],
    [8, () => {
      const keyLength = draw.int(1, 300);
      return encodeRequest({ ...fields, keyLength, bodyLength: draw.int(0, keyLength - 1) });
    }],
    [8, () => encodeRequest({ ...fields, extrasLength: draw.int(1, 255), bodyLength: draw.chance(0.5) ? body : undefined })],
    [5, () => encodeRequest({ ...fields, key: 'k'.repeat(draw.int(MAX_KEY_LENGTH + 1, MAX_KEY_LENGTH + 60)) })],
    [8, () => encodeRequest({ ...fields, extras: draw.bytes(draw.pick([0, 1, 4, 8, 12, 20, 24])) })],
    // Absurd body lengths, followed by only a few bytes: the server must not allocate or wait.
    [5, () => encodeRequest({ ...fields, bodyLength: draw.pick(ABSURD_BODY_LENGTHS) })],
    [6, () => encodeRequest({ ...fields, bodyLength: Math.max(0, body - draw.int(1, 8)) })],
    [6, () => encodeRequest({ ...fields, bodyLength: body + draw.int(1, 64) })],
    [6, () => {
      const packet = encodeRequest(fields);
      packet[Header.DATA_TYPE] = draw.int(1, 255);
      packet.writeUInt16BE(draw.int(0, 0xffff), Header.VBUCKET);
      return packet;
    }],
    [4, () => encodeRequest({ ...fields, cas: BigInt(draw.uint32()) * 2n ** 32n + BigInt(draw.uint32()) })],
    // A header cut short: the next frame's bytes complete it.
    [6, () => encodeRequest(fields).subarray(0, draw.int(1, HEADER_LENGTH - 1))],
    [3, () => Buffer.concat([Buffer.from([MAGIC_REQUEST]), draw.bytes(draw.int(0, 40))])],
  ])();
}

/** One binary frame: well-formed (half), mutated from well-formed, or malformed on purpose. */
export function binaryFrame(draw: Draw): Buffer {
  return draw.weighted<() => Buffer>([
    [50, () => validBinaryFrame(draw)],
    [30, () => mutate(validBinaryFrame(draw), draw)],
    [20, () => malformedBinaryFrame(draw)],
  ])();
}
