/**
 * The limits: keys of up to 250 bytes (251 is refused, and a multi-get holding one answers only
 * the error), and the item size limit, where memcached swallows the declared bytes before
 * answering, so the connection stays in step. Servers run with the default 1 MiB item limit.
 * @module
 */
import type { ConformanceCase } from '../conformance-case.ts';
import { padKey, say } from '../transcript.ts';
import { valueBlock } from './replies.ts';

/** memcached's key length limit (KEY_MAX_LENGTH). */
const MAX_KEY = 250;

/** The default item size limit (`-I 1m`): a value one byte over it cannot fit with any overhead. */
const ONE_MIB = 1024 * 1024;
const TOO_LARGE = ONE_MIB + 1;

/** Half the limit: comfortably storable, yet large enough that it arrives in many reads. */
const LARGE = ONE_MIB / 2;

const BAD_FORMAT = 'CLIENT_ERROR bad command line format\r\n';
const TOO_LARGE_REPLY = 'SERVER_ERROR object too large for cache\r\n';

/** A payload of `length` bytes that is not one repeated byte, so a shifted copy cannot pass. */
function payload(length: number): string {
  const pattern = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
}

/** The key-length and item-size cases. */
export const LIMIT_CASES: readonly ConformanceCase[] = [
  {
    name: 'a 250-byte key works with every command',
    transcript: (key) => {
      const long = padKey(key('k'), MAX_KEY);
      return [
        say(`set ${long} 0 0 1\r\n1\r\n`, 'STORED\r\n'),
        say(`get ${long}\r\n`, `${valueBlock(long, 0, '1')}END\r\n`),
        say(`incr ${long} 1\r\n`, '2\r\n'),
        say(`delete ${long}\r\n`, 'DELETED\r\n'),
      ];
    },
  },
  {
    name: 'a 251-byte key is refused by storage commands, and the data block is then read as a command',
    transcript: (key) => [
      say(`set ${padKey(key('k'), MAX_KEY + 1)} 0 0 1\r\nx\r\n`, `${BAD_FORMAT}ERROR\r\n`),
    ],
  },
  {
    name: 'a 251-byte key is refused by get, delete, incr and touch',
    transcript: (key) => {
      const long = padKey(key('k'), MAX_KEY + 1);
      return [
        say(`get ${long}\r\n`, BAD_FORMAT),
        say(`delete ${long}\r\n`, BAD_FORMAT),
        say(`incr ${long} 1\r\n`, BAD_FORMAT),
        say(`touch ${long} 1\r\n`, BAD_FORMAT),
      ];
    },
  },
  {
    name: 'a multi-get with one 251-byte key answers only the error, not the hits before it',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`get ${key('a')} ${padKey(key('k'), MAX_KEY + 1)} ${key('a')}\r\n`, BAD_FORMAT),
    ],
  },
  {
    name: 'a value of half a megabyte is stored and returned byte for byte',
    transcript: (key) => {
      const data = payload(LARGE);
      return [
        say(`set ${key('big')} 0 0 ${LARGE}\r\n${data}\r\n`, 'STORED\r\n'),
        say(`get ${key('big')}\r\n`, `${valueBlock(key('big'), 0, data)}END\r\n`),
      ];
    },
  },
  {
    name: 'a value over the item size limit is refused after its bytes are swallowed',
    transcript: (key) => [
      say(`set ${key('big')} 0 0 ${TOO_LARGE}\r\n${payload(TOO_LARGE)}\r\n`, TOO_LARGE_REPLY),
      say(`get ${key('big')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'a too-large value with noreply is swallowed silently',
    transcript: (key) => [
      say(`set ${key('big')} 0 0 ${TOO_LARGE} noreply\r\n${payload(TOO_LARGE)}\r\n`, ''),
      say(`get ${key('big')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'a refused too-large set removes the old value (memcached will not leave stale data)',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 3\r\nold\r\n`, 'STORED\r\n'),
      say(`set ${key('a')} 0 0 ${TOO_LARGE}\r\n${payload(TOO_LARGE)}\r\n`, TOO_LARGE_REPLY),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'a refused too-large append or replace leaves the old value',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 3\r\nold\r\n`, 'STORED\r\n'),
      say(`append ${key('a')} 0 0 ${TOO_LARGE}\r\n${payload(TOO_LARGE)}\r\n`, TOO_LARGE_REPLY),
      say(`replace ${key('a')} 0 0 ${TOO_LARGE}\r\n${payload(TOO_LARGE)}\r\n`, TOO_LARGE_REPLY),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'old')}END\r\n`),
    ],
  },
  {
    name: 'the swallowed bytes are the declared length plus two, whatever they are',
    transcript: (key) => [
      say(`set ${key('big')} 0 0 ${TOO_LARGE}\r\n${payload(TOO_LARGE)}XY`, TOO_LARGE_REPLY),
      say(`get ${key('big')}\r\n`, 'END\r\n'),
    ],
  },
];
