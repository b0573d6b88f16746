/**
 * Authentication as transcripts: what a client sends before and after logging in, and exactly
 * what must come back. The text cases are memcached 1.6.18's `-Y` behaviour, the SASL cases its
 * `-S` behaviour over the binary protocol; both pass against real memcached (SASL through Cyrus
 * SASL's sasldb, holding the same users). Every target is started with {@link AUTH_FILE_TEXT}.
 * @module
 */
import { hangsUp, matching, say, type KeyMaker, type Step } from '../../../../shared/conformance/transcript.ts';

/** The users file every target is started with. */
export const AUTH_FILE_TEXT = 'alice:secret\nbob:pw:with:colons\n';

/** One case: its name, its steps, and whether it ends logged in (then the suite's closing `get` runs). */
export interface AuthCase {
  readonly name: string;
  /** The steps, given the case's key maker and the target's version string (`1.6.18`, `1.6.18-kvlab-phase4`). */
  readonly steps: (key: KeyMaker, version: string) => readonly Step[];
  readonly endsLoggedIn: boolean;
}

const UNAUTHENTICATED = 'CLIENT_ERROR unauthenticated\r\n';
const FAILURE = 'CLIENT_ERROR authentication failure\r\n';

/** The `set` that carries `payload` as its data block. */
function login(key: string, payload: string, noreply = false): string {
  return `set ${key} 0 0 ${payload.length}${noreply ? ' noreply' : ''}\r\n${payload}\r\n`;
}

/** memcached's `-Y` handshake. */
export const TEXT_CASES: readonly AuthCase[] = [
  {
    name: 'every command is refused before the login, and the connection stays open',
    endsLoggedIn: false,
    steps: (key) => [
      say(`get ${key('a')}\r\n`, UNAUTHENTICATED),
      say('version\r\n', UNAUTHENTICATED),
      say(`mg ${key('a')} v\r\n`, UNAUTHENTICATED),
      say('stats\r\n', UNAUTHENTICATED),
      say('quit\r\n', UNAUTHENTICATED),
      say('bogus\r\n', UNAUTHENTICATED),
    ],
  },
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
    name: 'a wrong password, an unknown user and another user\'s password fail; the connection may try again',
    endsLoggedIn: true,
    steps: (key) => [
      say(login(key('token'), 'alice wrong'), FAILURE),
      say(`get ${key('a')}\r\n`, UNAUTHENTICATED),
      say(login(key('token'), 'mallory secret'), FAILURE),
      say(login(key('token'), 'alice pw:with:colons'), FAILURE),
      say(login(key('token'), 'alice secret'), 'STORED\r\n'),
    ],
  },
  {
    name: 'a block of one word is not a token',
    endsLoggedIn: false,
    steps: (key) => [say(login(key('token'), 'alice'), 'CLIENT_ERROR bad authentication token format\r\n')],
  },
  {
    name: 'a block not ended by CRLF: its declared bytes are read, then the rest is a line of its own',
    endsLoggedIn: false,
    // One reply per write: memcached 1.6.18 loses the first of two refusals to one read.
    steps: (key) => [
      say(`set ${key('token')} 0 0 5\r\nalice s`, 'CLIENT_ERROR bad command line termination\r\n'),
      say('ecret\r\n', UNAUTHENTICATED),
    ],
  },
  {
    name: 'a set line memcached cannot read is refused, and its block read as a line',
    endsLoggedIn: false,
    steps: (key) => [
      say(`set ${key('token')} 0 0\r\n`, UNAUTHENTICATED),
      say(`set ${key('token')} 0 0 -1\r\n`, UNAUTHENTICATED),
      say('alice secret\r\n', UNAUTHENTICATED),
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
  {
    name: 'a line of more than 2048 bytes without a newline is hung up on',
    endsLoggedIn: false,
    steps: () => [say('x'.repeat(2100), hangsUp())],
  },
];

// ── The binary protocol with SASL ────────────────────────────────────────────────────────────

const NUL = '\0';

/** A request: header, key, value (no extras: the SASL commands and Version carry none). */
function request(opcode: number, key: string, value: string, opaque: number, extras = ''): Buffer {
  const header = Buffer.alloc(24);
  header[0] = 0x80;
  header[1] = opcode;
  header.writeUInt16BE(key.length, 2);
  header[4] = extras.length;
  header.writeUInt32BE(extras.length + key.length + value.length, 8);
  header.writeUInt32BE(opaque, 12);
  return Buffer.concat([header, Buffer.from(extras + key + value, 'latin1')]);
}

/** A response as memcached writes it: no extras, no key, CAS 0 unless given. */
function response(opcode: number, status: number, opaque: number, body: string): Buffer {
  const header = Buffer.alloc(24);
  header[0] = 0x81;
  header[1] = opcode;
  header.writeUInt16BE(status, 6);
  header.writeUInt32BE(body.length, 8);
  header.writeUInt32BE(opaque, 12);
  return Buffer.concat([header, Buffer.from(body, 'latin1')]);
}

const LIST = 0x20;
const AUTH = 0x21;
const STEP = 0x22;
const GET = 0x00;
const SET = 0x01;
const VERSION = 0x0b;
const PLAIN_GOOD = `${NUL}alice${NUL}secret`;

/** A binary reply of exactly `length` bytes that starts with `prefix` (what follows varies: a CAS). */
function startsWith(prefix: Buffer, length: number) {
  const escaped = [...prefix].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
  return matching(new RegExp(`^${escaped}[\\s\\S]{${length - prefix.length}}$`), length);
}

/** memcached's `-S` over the binary protocol. */
export const SASL_CASES: readonly AuthCase[] = [
  {
    name: 'SASL: the mechanisms are listed before the login, and Version is answered',
    endsLoggedIn: false,
    steps: (_key, version) => [
      say(request(LIST, '', '', 7), response(LIST, 0, 7, 'PLAIN')),
      say(request(VERSION, '', '', 8), response(VERSION, 0, 8, version)),
    ],
  },
  {
    name: 'SASL: any other command before the login is answered Auth failure, then hung up on',
    endsLoggedIn: false,
    steps: (key) => [say(request(GET, key('a'), '', 9), hangsUp(response(GET, 0x20, 9, 'Auth failure.')))],
  },
  {
    name: 'SASL: PLAIN with good credentials is Authenticated, and commands run after it',
    endsLoggedIn: false,
    steps: (key) => [
      say(request(AUTH, 'PLAIN', PLAIN_GOOD, 1), response(AUTH, 0, 1, 'Authenticated')),
      say(request(GET, key('a'), '', 2), response(GET, 0x01, 2, 'Not found')),
      // Stored: status 0, no body, and a CAS of the server's choosing.
      say(request(SET, key('a'), 'v', 3, '\0\0\0\0\0\0\0\0'), startsWith(response(SET, 0, 3, '').subarray(0, 16), 24)),
    ],
  },
  {
    name: 'SASL: bad credentials are an Auth failure; the connection stays open to try again',
    endsLoggedIn: false,
    steps: (key) => [
      say(request(AUTH, 'PLAIN', `${NUL}alice${NUL}wrong`, 1), response(AUTH, 0x20, 1, 'Auth failure.')),
      say(request(AUTH, 'PLAIN', `${NUL}mallory${NUL}secret`, 2), response(AUTH, 0x20, 2, 'Auth failure.')),
      say(request(AUTH, 'PLAIN', 'not a plain message', 3), response(AUTH, 0x20, 3, 'Auth failure.')),
      // Logging in as alice to act as bob: no one may act for another here.
      say(request(AUTH, 'PLAIN', `bob${NUL}alice${NUL}secret`, 6), response(AUTH, 0x20, 6, 'Auth failure.')),
      say(request(AUTH, 'PLAIN', PLAIN_GOOD, 4), response(AUTH, 0, 4, 'Authenticated')),
      say(request(GET, key('a'), '', 5), response(GET, 0x01, 5, 'Not found')),
    ],
  },
  {
    name: 'SASL: an authzid that names the user itself is accepted',
    endsLoggedIn: false,
    steps: () => [say(request(AUTH, 'PLAIN', `alice${NUL}alice${NUL}secret`, 1), response(AUTH, 0, 1, 'Authenticated'))],
  },
  {
    name: 'SASL: Auth with no message asks to continue, and the Step that follows logs in',
    endsLoggedIn: false,
    steps: () => [
      say(request(AUTH, 'PLAIN', '', 1), response(AUTH, 0x21, 1, '')),
      say(request(STEP, 'PLAIN', PLAIN_GOOD, 2), response(STEP, 0, 2, 'Authenticated')),
    ],
  },
  {
    name: 'SASL: a Step with no Auth before it, and a mechanism not offered, fail',
    endsLoggedIn: false,
    steps: () => [
      say(request(STEP, 'PLAIN', PLAIN_GOOD, 1), response(STEP, 0x20, 1, 'Auth failure.')),
      say(request(AUTH, 'CRAM-MD5', 'x', 2), response(AUTH, 0x20, 2, 'Auth failure.')),
      say(request(AUTH, 'M'.repeat(33), 'x', 3), response(AUTH, 0x04, 3, 'Invalid arguments')),
      say(request(AUTH, 'PLAIN', PLAIN_GOOD, 4), response(AUTH, 0, 4, 'Authenticated')),
    ],
  },
];
