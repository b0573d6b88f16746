/**
 * incr and decr: 64-bit unsigned arithmetic on a decimal value. incr wraps at 2^64, decr stops at
 * 0, and memcached rewrites a shrinking number in place, padding it with spaces to its old length
 * (`100` decr 1 reads back as `99 `), while a growing one becomes a new, longer item.
 * @module
 */
import type { ConformanceCase } from '../conformance-case.ts';
import { say } from '../transcript.ts';
import { valueBlock } from './replies.ts';

const MAX_U64 = '18446744073709551615';
const NON_NUMERIC = 'CLIENT_ERROR cannot increment or decrement non-numeric value\r\n';
const BAD_DELTA = 'CLIENT_ERROR invalid numeric delta argument\r\n';

/** The incr/decr cases. */
export const ARITHMETIC_CASES: readonly ConformanceCase[] = [
  {
    name: 'incr and decr return the new value and keep the flags',
    transcript: (key) => [
      say(`set ${key('n')} 5 0 2\r\n10\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} 5\r\n`, '15\r\n'),
      say(`decr ${key('n')} 3\r\n`, '12\r\n'),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 5, '12')}END\r\n`),
    ],
  },
  {
    name: 'incr and decr of a missing key are NOT_FOUND',
    transcript: (key) => [
      say(`incr ${key('none')} 1\r\n`, 'NOT_FOUND\r\n'),
      say(`decr ${key('none')} 1\r\n`, 'NOT_FOUND\r\n'),
    ],
  },
  {
    name: 'incr wraps around at 2^64; the shorter result is padded with spaces',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 20\r\n${MAX_U64}\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} 1\r\n`, '0\r\n'),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '0'.padEnd(20, ' '))}END\r\n`),
    ],
  },
  {
    name: 'incr takes the largest 64-bit delta',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 1\r\n0\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} ${MAX_U64}\r\n`, `${MAX_U64}\r\n`),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, MAX_U64)}END\r\n`),
    ],
  },
  {
    name: 'decr stops at 0',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 1\r\n5\r\n`, 'STORED\r\n'),
      say(`decr ${key('n')} 100\r\n`, '0\r\n'),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '0')}END\r\n`),
    ],
  },
  {
    name: 'decr that shortens the number keeps the length, padding with spaces; incr can read it back',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 3\r\n100\r\n`, 'STORED\r\n'),
      say(`decr ${key('n')} 1\r\n`, '99\r\n'),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '99 ')}END\r\n`),
      say(`decr ${key('n')} 98\r\n`, '1\r\n'),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '1  ')}END\r\n`),
      say(`incr ${key('n')} 99\r\n`, '100\r\n'),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '100')}END\r\n`),
    ],
  },
  {
    name: 'incr that lengthens the number grows the value',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 2\r\n99\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} 1\r\n`, '100\r\n'),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '100')}END\r\n`),
    ],
  },
  {
    name: 'incr and decr with noreply are silent',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 1\r\n7\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} 3 noreply\r\n`, ''),
      say(`decr ${key('n')} 1 noreply\r\n`, ''),
      say(`incr ${key('none')} 1 noreply\r\n`, ''),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '9 ')}END\r\n`),
    ],
  },
  {
    name: 'incr and decr of a non-numeric value are client errors and leave it alone',
    transcript: (key) => [
      say(`set ${key('s')} 0 0 3\r\nabc\r\n`, 'STORED\r\n'),
      say(`incr ${key('s')} 1\r\n`, NON_NUMERIC),
      say(`decr ${key('s')} 1\r\n`, NON_NUMERIC),
      say(`get ${key('s')}\r\n`, `${valueBlock(key('s'), 0, 'abc')}END\r\n`),
    ],
  },
  {
    name: 'a negative, an empty or a more-than-64-bit value is non-numeric',
    transcript: (key) => [
      say(`set ${key('neg')} 0 0 2\r\n-1\r\n`, 'STORED\r\n'),
      say(`incr ${key('neg')} 1\r\n`, NON_NUMERIC),
      say(`set ${key('empty')} 0 0 0\r\n\r\n`, 'STORED\r\n'),
      say(`incr ${key('empty')} 1\r\n`, NON_NUMERIC),
      say(`set ${key('big')} 0 0 20\r\n18446744073709551616\r\n`, 'STORED\r\n'),
      say(`incr ${key('big')} 1\r\n`, NON_NUMERIC),
    ],
  },
  {
    name: 'a delta that is not a 64-bit unsigned number is a client error',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 1\r\n1\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} abc\r\n`, BAD_DELTA),
      say(`incr ${key('n')} -1\r\n`, BAD_DELTA),
      say(`decr ${key('n')} 18446744073709551616\r\n`, BAD_DELTA),
      say(`decr ${key('n')} 1x\r\n`, BAD_DELTA),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '1')}END\r\n`),
    ],
  },
  {
    name: 'a delta may carry leading zeros, a plus sign or tabs, and -0 is 0, as memcached reads them',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 1\r\n5\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} 00000000000000000000000000001\r\n`, '6\r\n'),
      say(`incr ${key('n')} +1\r\n`, '7\r\n'),
      say(`incr ${key('n')} -0\r\n`, '7\r\n'),
      say(`decr ${key('n')} \t2\t\r\n`, '5\r\n'),
      say(`incr ${key('n')} +${MAX_U64}\r\n`, '4\r\n'),
      say(`decr ${key('n')} -9223372036854775808\r\n`, BAD_DELTA),
      say(`get ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '4')}END\r\n`),
    ],
  },
];
