/**
 * Storage commands: set, add, replace, append, prepend and cas, each with and without `noreply`,
 * checked by reading the item back. Every reply below is what memcached 1.6.18 sends.
 * @module
 */
import type { ConformanceCase } from '../conformance-case.ts';
import { say } from '../transcript.ts';
import { casReply, valueBlock } from './replies.ts';

/** The storage cases. */
export const STORAGE_CASES: readonly ConformanceCase[] = [
  {
    name: 'set stores a value with its flags, and get returns it',
    transcript: (key) => [
      say(`set ${key('a')} 42 0 5\r\nhello\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 42 5\r\nhello\r\nEND\r\n`),
    ],
  },
  {
    name: 'set replaces an existing value and its flags',
    transcript: (key) => [
      say(`set ${key('a')} 1 0 3\r\nold\r\n`, 'STORED\r\n'),
      say(`set ${key('a')} 2 0 6\r\nnewer!\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 2 6\r\nnewer!\r\nEND\r\n`),
    ],
  },
  {
    name: 'set with noreply stores silently',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 2 noreply\r\nhi\r\n`, ''),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 2\r\nhi\r\nEND\r\n`),
    ],
  },
  {
    name: 'an empty value is stored and returned',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 0\r\n\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 0\r\n\r\nEND\r\n`),
    ],
  },
  {
    name: 'values are binary-safe: CR, LF, NUL, 0xff and command text inside the data block',
    transcript: (key) => {
      const data = '\r\nget x\r\n\x00\xff\r\n\r\nEND\r\n';
      return [
        say(`set ${key('a')} 0 0 ${data.length}\r\n${data}\r\n`, 'STORED\r\n'),
        say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 ${data.length}\r\n${data}\r\nEND\r\n`),
      ];
    },
  },
  {
    name: 'a bare LF ends a command line',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\nx\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\n`, `VALUE ${key('a')} 0 1\r\nx\r\nEND\r\n`),
    ],
  },
  {
    name: 'extra spaces between tokens are ignored',
    transcript: (key) => [
      say(`set  ${key('a')}   7 0  1 \r\nx\r\n`, 'STORED\r\n'),
      say(`get   ${key('a')}  \r\n`, `VALUE ${key('a')} 7 1\r\nx\r\nEND\r\n`),
    ],
  },
  {
    name: 'flags keep all 32 bits: 0 and 4294967295',
    transcript: (key) => [
      say(`set ${key('zero')} 0 0 1\r\na\r\n`, 'STORED\r\n'),
      say(`set ${key('max')} 4294967295 0 1\r\nb\r\n`, 'STORED\r\n'),
      say(`get ${key('zero')} ${key('max')}\r\n`, `VALUE ${key('zero')} 0 1\r\na\r\nVALUE ${key('max')} 4294967295 1\r\nb\r\nEND\r\n`),
    ],
  },
  {
    name: 'add stores only a missing key',
    transcript: (key) => [
      say(`add ${key('a')} 5 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`add ${key('a')} 6 0 1\r\ny\r\n`, 'NOT_STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 5 1\r\nx\r\nEND\r\n`),
    ],
  },
  {
    name: 'add with noreply is silent whether or not it stores',
    transcript: (key) => [
      say(`add ${key('a')} 0 0 1 noreply\r\nx\r\n`, ''),
      say(`add ${key('a')} 0 0 1 noreply\r\ny\r\n`, ''),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 1\r\nx\r\nEND\r\n`),
    ],
  },
  {
    name: 'replace stores only an existing key',
    transcript: (key) => [
      say(`replace ${key('a')} 0 0 1\r\nx\r\n`, 'NOT_STORED\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
      say(`set ${key('a')} 1 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`replace ${key('a')} 9 0 2\r\nyy\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 9 2\r\nyy\r\nEND\r\n`),
    ],
  },
  {
    name: 'replace with noreply is silent',
    transcript: (key) => [
      say(`replace ${key('a')} 0 0 1 noreply\r\nx\r\n`, ''),
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`replace ${key('a')} 0 0 1 noreply\r\ny\r\n`, ''),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 1\r\ny\r\nEND\r\n`),
    ],
  },
  {
    name: 'append adds to the end and keeps the original flags',
    transcript: (key) => [
      say(`append ${key('a')} 0 0 1\r\nx\r\n`, 'NOT_STORED\r\n'),
      say(`set ${key('a')} 7 0 3\r\nabc\r\n`, 'STORED\r\n'),
      say(`append ${key('a')} 9 0 3\r\ndef\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 7 6\r\nabcdef\r\nEND\r\n`),
    ],
  },
  {
    name: 'prepend adds to the start and keeps the original flags',
    transcript: (key) => [
      say(`prepend ${key('a')} 0 0 1\r\nx\r\n`, 'NOT_STORED\r\n'),
      say(`set ${key('a')} 7 0 3\r\nabc\r\n`, 'STORED\r\n'),
      say(`prepend ${key('a')} 9 0 3\r\nxyz\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 7 6\r\nxyzabc\r\nEND\r\n`),
    ],
  },
  {
    name: 'append and prepend with noreply are silent',
    transcript: (key) => [
      say(`append ${key('a')} 0 0 1 noreply\r\nx\r\n`, ''),
      say(`set ${key('a')} 0 0 1\r\nm\r\n`, 'STORED\r\n'),
      say(`append ${key('a')} 0 0 1 noreply\r\nz\r\n`, ''),
      say(`prepend ${key('a')} 0 0 1 noreply\r\na\r\n`, ''),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 3\r\namz\r\nEND\r\n`),
    ],
  },
  {
    name: 'cas stores only while the item is unchanged since gets',
    transcript: (key) => [
      say(`set ${key('a')} 3 0 1\r\na\r\n`, 'STORED\r\n'),
      say(`gets ${key('a')}\r\n`, casReply(key('a'), 3, 'a')),
      say(({ cas = '' }) => `cas ${key('a')} 4 0 1 ${cas}\r\nb\r\n`, 'STORED\r\n'),
      say(({ cas = '' }) => `cas ${key('a')} 5 0 1 ${cas}\r\nc\r\n`, 'EXISTS\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 4 1\r\nb\r\nEND\r\n`),
    ],
  },
  {
    name: 'any store changes the CAS unique, so an older unique gets EXISTS',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\na\r\n`, 'STORED\r\n'),
      say(`gets ${key('a')}\r\n`, casReply(key('a'), 0, 'a')),
      say(`append ${key('a')} 0 0 1\r\nb\r\n`, 'STORED\r\n'),
      say(({ cas = '' }) => `cas ${key('a')} 0 0 1 ${cas}\r\nc\r\n`, 'EXISTS\r\n'),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 2\r\nab\r\nEND\r\n`),
    ],
  },
  {
    name: 'cas on a missing key is NOT_FOUND',
    transcript: (key) => [
      say(`cas ${key('a')} 0 0 1 1\r\nx\r\n`, 'NOT_FOUND\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'cas with noreply is silent on success and on EXISTS',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\na\r\n`, 'STORED\r\n'),
      say(`gets ${key('a')}\r\n`, casReply(key('a'), 0, 'a')),
      say(({ cas = '' }) => `cas ${key('a')} 0 0 1 ${cas} noreply\r\nb\r\n`, ''),
      say(({ cas = '' }) => `cas ${key('a')} 0 0 1 ${cas} noreply\r\nc\r\n`, ''),
      say(`get ${key('a')}\r\n`, `VALUE ${key('a')} 0 1\r\nb\r\nEND\r\n`),
    ],
  },
  {
    name: 'numbers may carry leading zeros, a plus sign, -0 or tabs around them, as memcached reads them',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 00000000000000001\r\nx\r\n`, 'STORED\r\n'),
      say(`set ${key('b')} +5 +0 +1\r\ny\r\n`, 'STORED\r\n'),
      say(`set ${key('c')} -0 -0 -0\r\n\r\n`, 'STORED\r\n'),
      say(`set ${key('d')} \t7\t ${'0'.repeat(40)} \t1\r\nz\r\n`, 'STORED\r\n'),
      say(
        `get ${key('a')} ${key('b')} ${key('c')} ${key('d')}\r\n`,
        `${valueBlock(key('a'), 0, 'x')}${valueBlock(key('b'), 5, 'y')}${valueBlock(key('c'), 0, '')}${valueBlock(key('d'), 7, 'z')}END\r\n`,
      ),
    ],
  },
  {
    name: 'a CAS unique may carry leading zeros and a plus sign',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\na\r\n`, 'STORED\r\n'),
      say(`gets ${key('a')}\r\n`, casReply(key('a'), 0, 'a')),
      say(({ cas = '' }) => `cas ${key('a')} 0 0 1 +000${cas}\r\nb\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'b')}END\r\n`),
    ],
  },
];
