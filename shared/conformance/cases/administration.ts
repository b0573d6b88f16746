/**
 * The commands about the server rather than the data: version, verbosity and quit. (stats has
 * its own check in checks/stats.ts, flush_all its own group in flush.ts, run last.)
 * @module
 */
import { Capability } from '../capabilities.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { hangsUp, matching, say } from '../transcript.ts';

/** The administration cases. */
export const ADMINISTRATION_CASES: readonly ConformanceCase[] = [
  {
    name: 'version answers VERSION and a version string',
    transcript: () => [
      say('version\r\n', matching(/^VERSION [\x21-\x7e]+\r\n$/)),
    ],
  },
  {
    name: 'verbosity answers OK, or nothing with noreply',
    needs: [Capability.Verbosity],
    transcript: () => [
      say('verbosity 1\r\n', 'OK\r\n'),
      say('verbosity 0 noreply\r\n', ''),
      say('verbosity 0\r\n', 'OK\r\n'),
    ],
  },
  {
    name: 'verbosity without a level is an unknown command; a level that is not a number is a client error',
    needs: [Capability.Verbosity],
    transcript: () => [
      say('verbosity\r\n', 'ERROR\r\n'),
      say('verbosity loud\r\n', 'CLIENT_ERROR bad command line format\r\n'),
      say('verbosity -1\r\n', 'CLIENT_ERROR bad command line format\r\n'),
    ],
  },
  {
    name: 'a verbosity level may carry leading zeros or a plus sign, be -0, or take 64 bits; 2^64 is a client error',
    needs: [Capability.Verbosity],
    transcript: () => [
      say('verbosity 00\r\n', 'OK\r\n'),
      say('verbosity +1\r\n', 'OK\r\n'),
      say('verbosity -0\r\n', 'OK\r\n'),
      say('verbosity 4294967296\r\n', 'OK\r\n'),
      say('verbosity 18446744073709551616\r\n', 'CLIENT_ERROR bad command line format\r\n'),
      say('verbosity 0\r\n', 'OK\r\n'),
    ],
  },
  {
    name: 'quit closes the connection without a reply',
    transcript: () => [say('quit\r\n', hangsUp())],
  },
  {
    name: 'quit after pipelined commands answers those first, and nothing after it',
    needs: [Capability.Pipelining],
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\nget ${key('a')}\r\nquit\r\nget ${key('a')}\r\n`,
        hangsUp(`STORED\r\nVALUE ${key('a')} 0 1\r\nx\r\nEND\r\n`)),
    ],
  },
  {
    name: 'shutdown is refused in any form by a server started without it (memcached\'s -A)',
    transcript: () => [
      say('shutdown\r\n', 'ERROR: shutdown not enabled\r\n'),
      say('shutdown graceful\r\n', 'ERROR: shutdown not enabled\r\n'),
      say('shutdown now please\r\n', 'ERROR: shutdown not enabled\r\n'),
      say('version\r\n', matching(/^VERSION \S+\r\n$/)),
    ],
  },
  {
    name: 'refresh_certs on a listener without TLS says so, noreply or not, and the connection carries on',
    needs: [Capability.Tls],
    transcript: () => [
      say('refresh_certs\r\n', 'Error TLS not enabled\r\n'),
      // noreply silences only memcached's OK: the error is written all the same.
      say('refresh_certs noreply\r\n', 'Error TLS not enabled\r\n'),
      say('version\r\n', matching(/^VERSION \S+\r\n$/)),
    ],
  },
];
