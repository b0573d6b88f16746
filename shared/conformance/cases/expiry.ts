/**
 * Expiry that can be checked without waiting: exptime 0 (never), negative (already expired),
 * relative up to 30 days, absolute Unix times in the past and future, and touch. Expiry that
 * needs the clock to move lives in checks/expiry-waits.ts.
 * @module
 */
import { Capability } from '../capabilities.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { say } from '../transcript.ts';
import { valueBlock } from './replies.ts';

/** memcached reads an exptime up to 30 days (in seconds) as relative, anything larger as a Unix time. */
const THIRTY_DAYS = 60 * 60 * 24 * 30;

/** An hour: far enough that the item cannot expire while the case runs. */
const HOUR = 3600;

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** The expiry cases. */
export const EXPIRY_CASES: readonly ConformanceCase[] = [
  {
    name: 'exptime 0 never expires; a relative exptime keeps the item for now',
    transcript: (key) => [
      say(`set ${key('never')} 0 0 1\r\na\r\n`, 'STORED\r\n'),
      say(`set ${key('hour')} 0 ${HOUR} 1\r\nb\r\n`, 'STORED\r\n'),
      say(`get ${key('never')} ${key('hour')}\r\n`, `${valueBlock(key('never'), 0, 'a')}${valueBlock(key('hour'), 0, 'b')}END\r\n`),
    ],
  },
  {
    name: 'a negative exptime stores an item that is already expired',
    transcript: (key) => [
      say(`set ${key('a')} 0 -1 1\r\nx\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'exactly 30 days is relative; one second more is an absolute time (in 1970, so expired)',
    transcript: (key) => [
      say(`set ${key('rel')} 0 ${THIRTY_DAYS} 1\r\nr\r\n`, 'STORED\r\n'),
      say(`set ${key('abs')} 0 ${THIRTY_DAYS + 1} 1\r\na\r\n`, 'STORED\r\n'),
      say(`get ${key('rel')} ${key('abs')}\r\n`, `${valueBlock(key('rel'), 0, 'r')}END\r\n`),
    ],
  },
  {
    name: 'an absolute exptime in the past is expired; one in the future is not',
    transcript: (key) => [
      say(`set ${key('past')} 0 ${unixNow() - HOUR} 1\r\np\r\n`, 'STORED\r\n'),
      say(`set ${key('future')} 0 ${unixNow() + HOUR} 1\r\nf\r\n`, 'STORED\r\n'),
      say(`get ${key('past')} ${key('future')}\r\n`, `${valueBlock(key('future'), 0, 'f')}END\r\n`),
    ],
  },
  {
    name: 'a non-numeric exptime is a client error, and the data block is read as a command',
    transcript: (key) => [
      say(`set ${key('a')} 0 later 1\r\nx\r\n`, 'CLIENT_ERROR bad command line format\r\nERROR\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'touch answers TOUCHED for an item and NOT_FOUND otherwise',
    needs: [Capability.Touch],
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`touch ${key('a')} ${HOUR}\r\n`, 'TOUCHED\r\n'),
      say(`touch ${key('none')} ${HOUR}\r\n`, 'NOT_FOUND\r\n'),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
    ],
  },
  {
    name: 'touch with noreply is silent',
    needs: [Capability.Touch],
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`touch ${key('a')} ${HOUR} noreply\r\n`, ''),
      say(`touch ${key('none')} ${HOUR} noreply\r\n`, ''),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
    ],
  },
  {
    name: 'touch with a negative exptime expires the item at once',
    needs: [Capability.Touch],
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`touch ${key('a')} -1\r\n`, 'TOUCHED\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'touch with a non-numeric exptime is a client error',
    needs: [Capability.Touch],
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`touch ${key('a')} soon\r\n`, 'CLIENT_ERROR invalid exptime argument\r\n'),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
    ],
  },
  {
    name: 'exptimes span the signed 64-bit range: -2^63 and 2^63 - 1 are accepted, one further is a client error',
    needs: [Capability.Touch],
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`set ${key('b')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`set ${key('c')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      // What each then does to the item differs (memcached keeps 32 bits of it): not checked here.
      say(`touch ${key('a')} -9223372036854775808\r\n`, 'TOUCHED\r\n'),
      say(`touch ${key('b')} 9223372036854775807\r\n`, 'TOUCHED\r\n'),
      say(`set ${key('d')} 0 -9223372036854775808 1\r\nx\r\n`, 'STORED\r\n'),
      say(`touch ${key('c')} -9223372036854775809\r\n`, 'CLIENT_ERROR invalid exptime argument\r\n'),
      say(`touch ${key('c')} 9223372036854775808\r\n`, 'CLIENT_ERROR invalid exptime argument\r\n'),
      say(`get ${key('c')}\r\n`, `${valueBlock(key('c'), 0, 'x')}END\r\n`),
    ],
  },
  {
    name: 'an exptime may carry leading zeros or a plus sign, and -0 is 0 (never)',
    needs: [Capability.Touch, Capability.Gat],
    transcript: (key) => [
      say(`set ${key('a')} 0 -0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`touch ${key('a')} +0000000000000000000000000${HOUR}\r\n`, 'TOUCHED\r\n'),
      say(`touch ${key('a')} -0\r\n`, 'TOUCHED\r\n'),
      say(`gat -0 ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
      say(`gat 00000000000000000000000000000 ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
      say(`gat \t+${HOUR}\t ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
    ],
  },
];
