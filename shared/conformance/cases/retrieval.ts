/**
 * Retrieval and removal: get and gets with one and many keys (misses skipped, duplicates repeated,
 * order kept), a multi-get line longer than 2 KB, gat and gats, and delete.
 * @module
 */
import { Capability } from '../capabilities.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { literal, matching, say, type KeyMaker } from '../transcript.ts';
import { casReply, valueBlock } from './replies.ts';

/** Keys for the long multi-get: 120 keys of ~40 bytes make a line of ~5 KB, over memcached's 2048-byte line limit. */
const LONG_GET_KEYS = 120;

function longKeys(key: KeyMaker): string[] {
  return Array.from({ length: LONG_GET_KEYS }, (_, i) => `${key('long')}-${String(i).padStart(3, '0')}`.padEnd(40, 'k'));
}

/** The retrieval and delete cases. */
export const RETRIEVAL_CASES: readonly ConformanceCase[] = [
  {
    name: 'get of a missing key answers END',
    transcript: (key) => [say(`get ${key('none')}\r\n`, 'END\r\n')],
  },
  {
    name: 'get with many keys returns the hits in request order, repeating duplicates',
    transcript: (key) => [
      say(`set ${key('a')} 1 0 1\r\nA\r\n`, 'STORED\r\n'),
      say(`set ${key('b')} 2 0 2\r\nBB\r\n`, 'STORED\r\n'),
      say(`get ${key('b')} ${key('none')} ${key('a')} ${key('b')}\r\n`,
        `${valueBlock(key('b'), 2, 'BB')}${valueBlock(key('a'), 1, 'A')}${valueBlock(key('b'), 2, 'BB')}END\r\n`),
    ],
  },
  {
    name: 'gets with many keys adds each item\'s CAS unique',
    transcript: (key) => [
      say(`set ${key('a')} 1 0 1\r\nA\r\n`, 'STORED\r\n'),
      say(`set ${key('b')} 2 0 2\r\nBB\r\n`, 'STORED\r\n'),
      say(`gets ${key('a')} ${key('none')} ${key('b')}\r\n`, matching(new RegExp(
        `^VALUE ${literal(key('a'))} 1 1 \\d+\\r\\nA\\r\\nVALUE ${literal(key('b'))} 2 2 \\d+\\r\\nBB\\r\\nEND\\r\\n$`), 'END\r\n')),
    ],
  },
  {
    name: 'a multi-get line longer than 2048 bytes is served',
    needs: [Capability.LargeGetLine],
    transcript: (key) => {
      const keys = longKeys(key);
      const stored = keys.filter((_, i) => i % 3 === 0);
      return [
        ...stored.map((k) => say(`set ${k} 0 0 2\r\nok\r\n`, 'STORED\r\n')),
        say(`get ${keys.join(' ')}\r\n`, `${stored.map((k) => valueBlock(k, 0, 'ok')).join('')}END\r\n`),
      ];
    },
  },
  {
    name: 'gat returns the items and gats adds the CAS unique',
    needs: [Capability.Gat],
    transcript: (key) => [
      say(`set ${key('a')} 3 0 2\r\nhi\r\n`, 'STORED\r\n'),
      say(`gat 100 ${key('a')} ${key('none')} ${key('a')}\r\n`, `${valueBlock(key('a'), 3, 'hi')}${valueBlock(key('a'), 3, 'hi')}END\r\n`),
      say(`gats 100 ${key('a')}\r\n`, casReply(key('a'), 3, 'hi')),
      say(`gat 100 ${key('none')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'gat with a negative exptime returns the item, which is then expired',
    needs: [Capability.Gat],
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`gat -1 ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'gat with a non-numeric exptime is a client error',
    needs: [Capability.Gat],
    transcript: (key) => [say(`gat soon ${key('a')}\r\n`, 'CLIENT_ERROR invalid exptime argument\r\n')],
  },
  {
    name: 'delete removes an item once',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`delete ${key('a')}\r\n`, 'DELETED\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
      say(`delete ${key('a')}\r\n`, 'NOT_FOUND\r\n'),
    ],
  },
  {
    name: 'delete with noreply is silent, hit or miss',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`delete ${key('a')} noreply\r\n`, ''),
      say(`delete ${key('a')} noreply\r\n`, ''),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'delete accepts a legacy time of 0 and refuses any other',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`delete ${key('a')} 5\r\n`, 'CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n'),
      say(`delete ${key('a')} 0\r\n`, 'DELETED\r\n'),
      say(`delete ${key('a')} 0 noreply\r\n`, ''),
    ],
  },
];
