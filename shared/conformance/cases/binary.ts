/**
 * A first look at memcached's binary protocol, for servers that declare it: every request has a
 * 24-byte header (magic 0x80) and every response echoes the request's opaque field. The server
 * picks the protocol per connection from the first byte, so these run on fresh connections.
 * @module
 */
import { Capability } from '../capabilities.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { literal, matching, say, type Reply } from '../transcript.ts';

const REQUEST_MAGIC = 0x80;
const RESPONSE_MAGIC = 0x81;
const HEADER_BYTES = 24;
const Opcode = { Get: 0x00, Set: 0x01, GetQ: 0x09, Noop: 0x0a } as const;

interface Packet {
  readonly opcode: number;
  readonly key?: string;
  readonly extras?: Buffer;
  readonly value?: string;
  readonly opaque: number;
}

/** The latin1 string of a request or of a response without its CAS; every field is big-endian. */
function packet(magic: number, { opcode, key = '', extras = Buffer.alloc(0), value = '', opaque }: Packet): string {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = magic;
  header[1] = opcode;
  header.writeUInt16BE(key.length, 2);
  header[4] = extras.length;
  header.writeUInt32BE(extras.length + key.length + value.length, 8);
  header.writeUInt32BE(opaque, 12);
  return Buffer.concat([header, extras, Buffer.from(key + value, 'latin1')]).toString('latin1');
}

function request(fields: Packet): string {
  return packet(REQUEST_MAGIC, fields);
}

/**
 * A pattern for a successful response: exact bytes except the 8-byte CAS at offset 16, which the
 * server chooses (`zeroCas`: it must be zero, as for noop).
 */
function response(fields: Packet, zeroCas = false): Reply {
  const bytes = packet(RESPONSE_MAGIC, fields);
  const cas = zeroCas ? literal('\x00'.repeat(8)) : '[\\s\\S]{8}';
  const pattern = `^${literal(bytes.slice(0, 16))}${cas}${literal(bytes.slice(HEADER_BYTES))}$`;
  return matching(new RegExp(pattern), bytes.length);
}

/** Set's extras: 4 bytes of flags, 4 of exptime. */
function setExtras(flags: number, exptime: number): Buffer {
  const extras = Buffer.alloc(8);
  extras.writeUInt32BE(flags, 0);
  extras.writeUInt32BE(exptime, 4);
  return extras;
}

function flagsExtras(flags: number): Buffer {
  const extras = Buffer.alloc(4);
  extras.writeUInt32BE(flags, 0);
  return extras;
}

/** The binary-protocol cases. */
export const BINARY_CASES: readonly ConformanceCase[] = [
  {
    name: 'binary noop answers with the opaque echoed and a zero CAS',
    needs: [Capability.Binary],
    protocol: 'binary',
    transcript: () => [
      say(request({ opcode: Opcode.Noop, opaque: 0xdeadbeef }), response({ opcode: Opcode.Noop, opaque: 0xdeadbeef }, true)),
    ],
  },
  {
    name: 'binary set then get returns the value and flags',
    needs: [Capability.Binary],
    protocol: 'binary',
    transcript: (key) => [
      say(request({ opcode: Opcode.Set, key: key('a'), extras: setExtras(7, 0), value: 'hello', opaque: 1 }),
        response({ opcode: Opcode.Set, opaque: 1 })),
      say(request({ opcode: Opcode.Get, key: key('a'), opaque: 2 }),
        response({ opcode: Opcode.Get, extras: flagsExtras(7), value: 'hello', opaque: 2 })),
      say(request({ opcode: Opcode.Noop, opaque: 3 }), response({ opcode: Opcode.Noop, opaque: 3 }, true)),
    ],
  },
  {
    name: 'binary getq stays silent on a miss; the noop after it answers',
    needs: [Capability.Binary],
    protocol: 'binary',
    transcript: (key) => [
      say(request({ opcode: Opcode.GetQ, key: key('none'), opaque: 3 }) + request({ opcode: Opcode.Noop, opaque: 4 }),
        response({ opcode: Opcode.Noop, opaque: 4 }, true)),
    ],
  },
];
