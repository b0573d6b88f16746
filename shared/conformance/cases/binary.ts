/**
 * A first look at memcached's binary protocol, for servers that declare it: every request has a
 * 24-byte header (magic 0x80) and every response echoes the request's opaque field. The server
 * picks the protocol per connection from the first byte, so these run on fresh connections.
 * @module
 */
import { Capability } from '../capabilities.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { say } from '../transcript.ts';
import { binaryRequest as request, binaryResponse as response, flagsExtras, Opcode, setExtras } from './binary-packets.ts';

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
