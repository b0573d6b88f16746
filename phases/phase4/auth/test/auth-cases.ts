/**
 * Authentication as transcripts: logging in, and what runs after it. The text cases are memcached
 * 1.6.18's `-Y` behaviour, the SASL cases its `-S` behaviour over the binary protocol; both pass
 * against real memcached (SASL through Cyrus SASL's sasldb, holding the same users). Every target
 * is started with the common suite's users file. The refusals — clients that have not logged in
 * or fail to — are bad input, and live in the common suite's table
 * (`shared/conformance/cases/unauthenticated.ts`), which runs against every target behind the door.
 * @module
 */
import { matching, say, type KeyMaker, type Step } from '../../../../shared/conformance/transcript.ts';
import { binaryRequest, binaryResponse, binaryStatus, Opcode, setExtras, Status } from '../../../../shared/conformance/cases/binary-packets.ts';
import { AUTH_FAILURE, loginSet as login, plainMessage, SASL_FAILURE, UNAUTHENTICATED } from '../../../../shared/conformance/cases/unauthenticated.ts';

/** One case: its name, its steps, and whether it ends logged in (then the suite's closing `get` runs). */
export interface AuthCase {
  readonly name: string;
  /** The steps, given the case's key maker and the target's version string (`1.6.18`, `1.6.18-kvlab-phase4`). */
  readonly steps: (key: KeyMaker, version: string) => readonly Step[];
  readonly endsLoggedIn: boolean;
}

/** memcached's `-Y` handshake. */
export const TEXT_CASES: readonly AuthCase[] = [
  {
    name: 'a good login answers STORED, stores nothing, and commands run after it',
    endsLoggedIn: true,
    steps: (key) => [
      say(login(key('token'), 'alice secret'), 'STORED\r\n'),
      say(`get ${key('token')}\r\n`, 'END\r\n'),
      say(`set ${key('a')} 5 0 2\r\nhi\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 5 2\r\nhi\r\nEND\r\n`),
      say('version\r\n', matching(/^VERSION 1\.6\.18\S*\r\n$/)),
    ],
  },
  {
    name: 'the login is answered even with noreply',
    endsLoggedIn: true,
    steps: (key) => [say(login(key('token'), 'alice secret', true), 'STORED\r\n')],
  },
  {
    name: 'commands pipelined after the login in the same write run once it succeeds',
    endsLoggedIn: true,
    steps: (key) => [
      say(`${login(key('token'), 'alice secret')}set ${key('a')} 0 0 1\r\nv\r\nget ${key('a')}\r\n`, `STORED\r\nSTORED\r\nVALUE ${key('a')} 0 1\r\nv\r\nEND\r\n`),
    ],
  },
  {
    name: 'a password holds everything after the first colon of its line',
    endsLoggedIn: true,
    steps: (key) => [say(login(key('token'), 'bob pw:with:colons'), 'STORED\r\n')],
  },
  {
    name: 'words after the password are ignored',
    endsLoggedIn: true,
    steps: (key) => [say(login(key('token'), 'alice secret and more'), 'STORED\r\n')],
  },
  {
    name: 'after a failed login the connection may try again',
    endsLoggedIn: true,
    steps: (key) => [
      say(login(key('token'), 'alice wrong'), AUTH_FAILURE),
      say(`get ${key('a')}\r\n`, UNAUTHENTICATED),
      say(login(key('token'), 'alice secret'), 'STORED\r\n'),
    ],
  },
  {
    name: 'once logged in, a set is a set again',
    endsLoggedIn: true,
    steps: (key) => [
      say(login(key('a'), 'alice secret'), 'STORED\r\n'),
      say(login(key('a'), 'alice secret'), 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 12\r\nalice secret\r\nEND\r\n`),
    ],
  },
];

// ── The binary protocol with SASL ────────────────────────────────────────────────────────────

const PLAIN_GOOD = plainMessage('alice', 'secret');

/** A SASL request for the PLAIN mechanism. */
function sasl(opcode: number, message: string, opaque: number, mechanism = 'PLAIN'): string {
  return binaryRequest({ opcode, key: mechanism, value: message, opaque });
}

/** memcached's `-S` over the binary protocol. */
export const SASL_CASES: readonly AuthCase[] = [
  {
    name: 'SASL: the mechanisms are listed before the login, and Version is answered',
    endsLoggedIn: false,
    steps: (_key, version) => [
      say(binaryRequest({ opcode: Opcode.SaslListMechs, opaque: 7 }), binaryStatus(Opcode.SaslListMechs, Status.Ok, 7, 'PLAIN')),
      say(binaryRequest({ opcode: Opcode.Version, opaque: 8 }), binaryStatus(Opcode.Version, Status.Ok, 8, version)),
    ],
  },
  {
    name: 'SASL: PLAIN with good credentials is Authenticated, and commands run after it',
    endsLoggedIn: false,
    steps: (key) => [
      say(sasl(Opcode.SaslAuth, PLAIN_GOOD, 1), binaryStatus(Opcode.SaslAuth, Status.Ok, 1, 'Authenticated')),
      say(binaryRequest({ opcode: Opcode.Get, key: key('a'), opaque: 2 }), binaryStatus(Opcode.Get, Status.NotFound, 2, 'Not found')),
      // Stored: status 0, no body, and a CAS of the server's choosing.
      say(binaryRequest({ opcode: Opcode.Set, key: key('a'), extras: setExtras(0, 0), value: 'v', opaque: 3 }), binaryResponse({ opcode: Opcode.Set, opaque: 3 })),
    ],
  },
  {
    name: 'SASL: after bad credentials the connection may try again',
    endsLoggedIn: false,
    steps: (key) => [
      say(sasl(Opcode.SaslAuth, plainMessage('alice', 'wrong'), 1), binaryStatus(Opcode.SaslAuth, Status.AuthError, 1, SASL_FAILURE)),
      say(sasl(Opcode.SaslAuth, PLAIN_GOOD, 4), binaryStatus(Opcode.SaslAuth, Status.Ok, 4, 'Authenticated')),
      say(binaryRequest({ opcode: Opcode.Get, key: key('a'), opaque: 5 }), binaryStatus(Opcode.Get, Status.NotFound, 5, 'Not found')),
    ],
  },
  {
    name: 'SASL: an authzid that names the user itself is accepted',
    endsLoggedIn: false,
    steps: () => [say(sasl(Opcode.SaslAuth, plainMessage('alice', 'secret', 'alice'), 1), binaryStatus(Opcode.SaslAuth, Status.Ok, 1, 'Authenticated'))],
  },
  {
    name: 'SASL: Auth with no message asks to continue, and the Step that follows logs in',
    endsLoggedIn: false,
    steps: () => [
      say(sasl(Opcode.SaslAuth, '', 1), binaryStatus(Opcode.SaslAuth, Status.AuthContinue, 1, '')),
      say(sasl(Opcode.SaslStep, PLAIN_GOOD, 2), binaryStatus(Opcode.SaslStep, Status.Ok, 2, 'Authenticated')),
    ],
  },
  {
    name: 'SASL: a Step with no Auth before it, and a mechanism not offered, fail',
    endsLoggedIn: false,
    steps: () => [
      say(sasl(Opcode.SaslStep, PLAIN_GOOD, 1), binaryStatus(Opcode.SaslStep, Status.AuthError, 1, SASL_FAILURE)),
      say(sasl(Opcode.SaslAuth, 'x', 2, 'CRAM-MD5'), binaryStatus(Opcode.SaslAuth, Status.AuthError, 2, SASL_FAILURE)),
      say(sasl(Opcode.SaslAuth, 'x', 3, 'M'.repeat(33)), binaryStatus(Opcode.SaslAuth, Status.InvalidArguments, 3, 'Invalid arguments')),
      say(sasl(Opcode.SaslAuth, PLAIN_GOOD, 4), binaryStatus(Opcode.SaslAuth, Status.Ok, 4, 'Authenticated')),
    ],
  },
];
