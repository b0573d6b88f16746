/**
 * Pipelining: several commands in one write are all answered, in order, with `noreply` commands
 * answering nothing and errors answering in their place.
 * @module
 */
import { Capability } from '../capabilities.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { say } from '../transcript.ts';
import { valueBlock } from './replies.ts';

/** Commands per pipelined write: enough to span several reads on the server. */
const DEPTH = 50;

/** The pipelining cases. */
export const PIPELINING_CASES: readonly ConformanceCase[] = [
  {
    name: `${DEPTH} sets and ${DEPTH} gets in one write are answered in order`,
    needs: [Capability.Pipelining],
    transcript: (key) => {
      const keys = Array.from({ length: DEPTH }, (_, i) => key(`p${i}`));
      return [
        say(keys.map((k, i) => `set ${k} ${i} 0 ${String(i).length}\r\n${i}\r\n`).join(''), 'STORED\r\n'.repeat(DEPTH)),
        say(keys.map((k) => `get ${k}\r\n`).join(''), keys.map((k, i) => `${valueBlock(k, i, String(i))}END\r\n`).join('')),
      ];
    },
  },
  {
    name: 'a pipeline mixing noreply, misses and errors answers each in turn',
    needs: [Capability.Pipelining],
    transcript: (key) => [
      say(
        `set ${key('a')} 0 0 1 noreply\r\nx\r\nget ${key('a')}\r\nbogus\r\nincr ${key('none')} 1\r\n` +
          `append ${key('a')} 0 0 1 noreply\r\ny\r\ndelete ${key('none')}\r\nget ${key('a')} ${key('none')}\r\n`,
        `${valueBlock(key('a'), 0, 'x')}END\r\nERROR\r\nNOT_FOUND\r\nNOT_FOUND\r\n${valueBlock(key('a'), 0, 'xy')}END\r\n`,
      ),
    ],
  },
];
