/**
 * Bad input at an authentication door: clients that have not logged in, or fail to. The text
 * cases are memcached 1.6.18's `-Y` (an auth file of `user:password` lines, a login carried by a
 * `set`'s data block); the binary ones its `-S` (SASL PLAIN). Every target is started with the
 * users of {@link AUTH_FILE_TEXT}; no case ends logged in, and the suite then checks, through the
 * door, that `key('sneaked')` — which some cases try to store — is absent.
 * @module
 */
import type { ConformanceCase } from '../conformance-case.ts';
import { hangsUp, say } from '../transcript.ts';
import { binaryRequest, binaryStatus, Opcode, setExtras, Status } from './binary-packets.ts';

/** The users file every target is started with: a password holds everything after the first colon. */
export const AUTH_FILE_TEXT = 'alice:secret\nbob:pw:with:colons\n';

/** A user of {@link AUTH_FILE_TEXT} and her password, with which the suite's own connections log in. */
export const GOOD_LOGIN = { user: 'alice', password: 'secret' } as const;

/** memcached's `-Y` refusal of every command before the login. */
export const UNAUTHENTICATED = 'CLIENT_ERROR unauthenticated\r\n';
/** memcached's `-Y` answer to a login with wrong credentials. */
export const AUTH_FAILURE = 'CLIENT_ERROR authentication failure\r\n';
/** The body of memcached's SASL refusals. */
export const SASL_FAILURE = 'Auth failure.';

/** The `set` whose data block is the `-Y` login `payload` (`user password`). */
export function loginSet(key: string, payload: string, noreply = false): string {
  return `set ${key} 0 0 ${payload.length}${noreply ? ' noreply' : ''}\r\n${payload}\r\n`;
}

/** A SASL PLAIN message: authorisation identity, user and password, each ended by NUL but the last. */
export function plainMessage(user: string, password: string, authzid = ''): string {
  return `${authzid}\0${user}\0${password}`;
}

/** The `-Y` cases. */
export const UNAUTHENTICATED_TEXT_CASES: readonly ConformanceCase[] = [
  {
    name: 'before the login every command is refused, and the connection stays open',
    transcript: (key) => [
      say(`get ${key('a')}\r\n`, UNAUTHENTICATED),
      say('version\r\n', UNAUTHENTICATED),
      say(`mg ${key('a')} v\r\n`, UNAUTHENTICATED),
      say('stats\r\n', UNAUTHENTICATED),
      say('quit\r\n', UNAUTHENTICATED),
      say('bogus\r\n', UNAUTHENTICATED),
      say(`delete ${key('a')}\r\n`, UNAUTHENTICATED),
    ],
  },
  {
    name: 'a wrong password, an unknown user and another user\'s password fail, and the door stays shut',
    transcript: (key) => [
      say(loginSet(key('sneaked'), 'alice wrong'), AUTH_FAILURE),
      say(loginSet(key('sneaked'), 'mallory secret'), AUTH_FAILURE),
      say(loginSet(key('sneaked'), 'alice pw:with:colons'), AUTH_FAILURE),
      say(`get ${key('sneaked')}\r\n`, UNAUTHENTICATED),
    ],
  },
  {
    name: 'a data block of one word is not a login token',
    transcript: (key) => [say(loginSet(key('sneaked'), 'x'), 'CLIENT_ERROR bad authentication token format\r\n')],
  },
  {
    name: 'a login block not ended by CRLF: its declared bytes are read, then the rest is a line of its own',
    // One reply per write: memcached 1.6.18 loses the first of two refusals to one read.
    transcript: (key) => [
      say(`set ${key('sneaked')} 0 0 5\r\nalice s`, 'CLIENT_ERROR bad command line termination\r\n'),
      say('ecret\r\n', UNAUTHENTICATED),
    ],
  },
  {
    name: 'a set line memcached cannot read is refused, and its block read as a line',
    transcript: (key) => [
      say(`set ${key('sneaked')} 0 0\r\n`, UNAUTHENTICATED),
      say(`set ${key('sneaked')} 0 0 -1\r\n`, UNAUTHENTICATED),
      say('alice secret\r\n', UNAUTHENTICATED),
    ],
  },
  {
    name: 'a line of more than 2048 bytes without a newline is hung up on',
    transcript: () => [say('x'.repeat(2100), hangsUp())],
  },
];

/** The `-S` cases, over the binary protocol. */
export const UNAUTHENTICATED_SASL_CASES: readonly ConformanceCase[] = [
  {
    name: 'SASL: a get before the login is answered Auth failure, then hung up on',
    protocol: 'binary',
    transcript: (key) => [
      say(binaryRequest({ opcode: Opcode.Get, key: key('a'), opaque: 9 }), hangsUp(binaryStatus(Opcode.Get, Status.AuthError, 9, SASL_FAILURE))),
    ],
  },
  {
    name: 'SASL: a set before the login is answered Auth failure, then hung up on, storing nothing',
    protocol: 'binary',
    transcript: (key) => [
      say(binaryRequest({ opcode: Opcode.Set, key: key('sneaked'), extras: setExtras(0, 0), value: 'x', opaque: 5 }),
        hangsUp(binaryStatus(Opcode.Set, Status.AuthError, 5, SASL_FAILURE))),
    ],
  },
  {
    name: 'SASL: bad credentials are an Auth failure each, and a command after them is hung up on',
    protocol: 'binary',
    transcript: (key) => {
      const auth = (message: string, opaque: number) =>
        say(binaryRequest({ opcode: Opcode.SaslAuth, key: 'PLAIN', value: message, opaque }), binaryStatus(Opcode.SaslAuth, Status.AuthError, opaque, SASL_FAILURE));
      return [
        auth(plainMessage('alice', 'wrong'), 1),
        auth(plainMessage('mallory', 'secret'), 2),
        auth('not a plain message', 3),
        // Logging in as alice to act as bob: no one may act for another here.
        auth(plainMessage('alice', 'secret', 'bob'), 4),
        say(binaryRequest({ opcode: Opcode.Set, key: key('sneaked'), extras: setExtras(0, 0), value: 'x', opaque: 5 }),
          hangsUp(binaryStatus(Opcode.Set, Status.AuthError, 5, SASL_FAILURE))),
      ];
    },
  },
];
