/**
 * flush_all, immediate: it invalidates every item, so this group runs last, on its own. (The
 * delayed form needs the clock to move and lives in checks/expiry-waits.ts.)
 * @module
 */
import type { ConformanceCase } from '../conformance-case.ts';
import { say } from '../transcript.ts';
import { valueBlock } from './replies.ts';

/** The immediate flush_all cases. */
export const FLUSH_CASES: readonly ConformanceCase[] = [
  {
    name: 'flush_all invalidates every item, and new items store normally afterwards',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`set ${key('b')} 0 0 1\r\ny\r\n`, 'STORED\r\n'),
      say('flush_all\r\n', 'OK\r\n'),
      say(`get ${key('a')} ${key('b')}\r\n`, 'END\r\n'),
      say(`add ${key('a')} 0 0 1\r\nz\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'z')}END\r\n`),
    ],
  },
  {
    name: 'flush_all 0 is immediate',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say('flush_all 0\r\n', 'OK\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'flush_all with noreply is silent',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say('flush_all noreply\r\n', ''),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say('flush_all 0 noreply\r\n', ''),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'flush_all with a delay that is not a number is a client error, and flushes nothing',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say('flush_all soon\r\n', 'CLIENT_ERROR invalid exptime argument\r\n'),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
    ],
  },
  {
    name: 'flush_all reads its delay as memcached does: -0, +0, leading zeros and any negative delay flush now',
    transcript: (key) => ['-0', '+0', '000000000000000000000000000000', '-1', '-9223372036854775808'].flatMap((delay) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`flush_all ${delay}\r\n`, 'OK\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ]),
  },
  {
    name: 'flush_all with a delay past 64 signed bits is a client error, and flushes nothing',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say('flush_all 9223372036854775808\r\n', 'CLIENT_ERROR invalid exptime argument\r\n'),
      say('flush_all -9223372036854775809\r\n', 'CLIENT_ERROR invalid exptime argument\r\n'),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
    ],
  },
];
