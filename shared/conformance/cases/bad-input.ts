/**
 * The bad-input table: malformed, hostile or truncated input, each with memcached 1.6.18's exact
 * answer or hang-up. The suite plays every case on its own connection and then checks that the
 * server still serves another, already-open connection and that a value stored before is intact.
 * A few cases are deliberate differences, where memcached 1.6.18 has a known flaw: it silently
 * truncates or wraps out-of-range numbers, ignores what follows whitespace in a number and accepts
 * control characters in keys; KV Lab does not.
 * @module
 */
import { Capability } from '../capabilities.ts';
import type { ConformanceCase } from '../conformance-case.ts';
import { disconnect, hangsUp, padKey, say } from '../transcript.ts';
import { valueBlock } from './replies.ts';

const BAD_FORMAT = 'CLIENT_ERROR bad command line format\r\n';
const BAD_CHUNK = 'CLIENT_ERROR bad data chunk\r\n';
const BAD_DELETE = 'CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n';
const BAD_DELTA = 'CLIENT_ERROR invalid numeric delta argument\r\n';

/** A refused storage line leaves its data block unread, so the block comes back as an unknown command. */
const BAD_FORMAT_THEN_DATA = `${BAD_FORMAT}ERROR\r\n`;

/** memcached hangs up on a line this long without a newline (its limit is 2048 bytes). */
const LONG_LINE = 2100;

/** More tokens than memcached's tokenizer keeps (24). */
const MANY_TOKENS = 'a b c d e f g h i j k l m n o p q r s t u v w x y z';

/** The bad-input cases. */
export const BAD_INPUT_CASES: readonly ConformanceCase[] = [
  { name: 'an unknown command', transcript: (key) => [say(`frobnicate ${key('a')}\r\n`, 'ERROR\r\n')] },
  { name: 'a command in upper case', transcript: (key) => [say(`GET ${key('a')}\r\n`, 'ERROR\r\n')] },
  {
    name: 'a storage command in upper case (its data block is read as a command too)',
    transcript: (key) => [say(`SET ${key('a')} 0 0 1\r\nx\r\n`, 'ERROR\r\nERROR\r\n')],
  },
  { name: 'an empty line', transcript: () => [say('\r\n', 'ERROR\r\n')] },
  { name: 'an empty line ended by a bare LF', transcript: () => [say('\n', 'ERROR\r\n')] },
  { name: 'a line of spaces', transcript: () => [say('   \r\n', 'ERROR\r\n')] },
  {
    name: 'a 251-byte key in add',
    transcript: (key) => [say(`add ${padKey(key('k'), 251)} 0 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA)],
  },
  {
    name: 'a key with control characters',
    difference: 'memcached\'s protocol forbids control characters in keys, but 1.6.18\'s text parser splits only at spaces and stores them; KV Lab enforces the rule',
    transcript: (key) => {
      const odd = `${key('a')}\x01\x7f\t\x1b`;
      return [say(`set ${odd} 0 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA), say(`get ${odd}\r\n`, BAD_FORMAT)];
    },
  },
  { name: 'set without its length', transcript: (key) => [say(`set ${key('a')} 0 0\r\n`, 'ERROR\r\n')] },
  { name: 'set with only a key', transcript: (key) => [say(`set ${key('a')}\r\n`, 'ERROR\r\n')] },
  { name: 'get without a key', transcript: () => [say('get\r\n', 'ERROR\r\n')] },
  { name: 'gets without a key', transcript: () => [say('gets \r\n', 'ERROR\r\n')] },
  { name: 'incr without a delta', transcript: (key) => [say(`incr ${key('a')}\r\n`, 'ERROR\r\n')] },
  { name: 'delete without a key', transcript: () => [say('delete\r\n', 'ERROR\r\n')] },
  { name: 'touch without an exptime', needs: [Capability.Touch], transcript: (key) => [say(`touch ${key('a')}\r\n`, 'ERROR\r\n')] },
  { name: 'gat without arguments', needs: [Capability.Gat], transcript: () => [say('gat\r\n', 'ERROR\r\n')] },
  {
    name: 'cas without its unique (the data block is read as a command too)',
    transcript: (key) => [say(`cas ${key('a')} 0 0 1\r\nx\r\n`, 'ERROR\r\nERROR\r\n')],
  },
  { name: 'a length that is not a number', transcript: (key) => [say(`set ${key('a')} 0 0 one\r\nx\r\n`, BAD_FORMAT_THEN_DATA)] },
  { name: 'a negative length', transcript: (key) => [say(`set ${key('a')} 0 0 -1\r\nx\r\n`, BAD_FORMAT_THEN_DATA)] },
  { name: 'a length with trailing letters', transcript: (key) => [say(`set ${key('a')} 0 0 1x\r\nx\r\n`, BAD_FORMAT_THEN_DATA)] },
  { name: 'a hexadecimal length', transcript: (key) => [say(`set ${key('a')} 0 0 0x1\r\nx\r\n`, BAD_FORMAT_THEN_DATA)] },
  {
    name: 'a huge length: 4294967295',
    transcript: (key) => [say(`set ${key('a')} 0 0 4294967295\r\nabc\r\n`, BAD_FORMAT_THEN_DATA)],
  },
  {
    name: 'a huge length: 2^31',
    transcript: (key) => [say(`set ${key('a')} 0 0 2147483648\r\nabc\r\n`, BAD_FORMAT_THEN_DATA)],
  },
  {
    name: 'a huge length: twenty digits',
    transcript: (key) => [say(`set ${key('a')} 0 0 99999999999999999999\r\nabc\r\n`, BAD_FORMAT_THEN_DATA)],
  },
  {
    // memcached adds the CRLF to the length in a C int, so 2^31 - 3 is the longest it sizes up
    // (and swallows as too large); above it the line is malformed and nothing is swallowed.
    name: 'a length of 2^31 - 1 or 2^31 - 2 is malformed, not too large: nothing is swallowed',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 2147483647\r\nab\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('a')} 0 0 2147483646\r\nab\r\n`, BAD_FORMAT_THEN_DATA),
    ],
  },
  {
    name: 'numbers that stay malformed: a lone sign, two signs, a sign after whitespace, a decimal point, an exponent',
    transcript: (key) => [
      say(`set ${key('a')} + 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('a')} 0 - 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('a')} 0 0 +-1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('a')} 0 0 -\t1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('a')} 0 0 1.0\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('a')} 1e0 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'an exptime just past 64 signed bits, or a CAS unique past 64 unsigned bits, is malformed',
    transcript: (key) => [
      say(`set ${key('a')} 0 9223372036854775808 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('a')} 0 -9223372036854775809 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`cas ${key('a')} 0 0 1 18446744073709551616\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
    ],
  },
  {
    name: 'delete takes its hold time only as the word 0: not 00, -0 or +0',
    transcript: (key) => ['00', '-0', '+0'].map((hold) => say(`delete ${key('a')} ${hold}\r\n`, BAD_DELETE)),
  },
  {
    name: 'noreply as the last word silences a malformed line of the right length, even in the place of a number',
    transcript: (key) => [
      // Each refused storage line leaves its data block, which is answered as a command.
      say(`set ${key('a')} 2 1 noreply\r\nab\r\n`, 'ERROR\r\n'),
      say(`set ${key('a')} 0 0 -1 noreply\r\nab\r\n`, 'ERROR\r\n'),
      say(`set ${key('a')} x 0 1 noreply\r\nab\r\n`, 'ERROR\r\n'),
      say(`cas ${key('a')} 0 0 1 noreply\r\nab\r\n`, 'ERROR\r\n'),
      say(`incr ${key('a')} noreply\r\n`, ''),
      say(`decr ${key('a')} x noreply\r\n`, ''),
      say(`delete ${key('a')} 1 noreply\r\n`, ''),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'noreply as the last word silences a malformed touch or verbosity too',
    needs: [Capability.Touch, Capability.Verbosity],
    transcript: (key) => [
      say(`touch ${key('a')} noreply\r\n`, ''),
      say(`touch ${key('a')} soon noreply\r\n`, ''),
      say('verbosity noreply\r\n', ''),
      say('verbosity loud noreply\r\n', ''),
    ],
  },
  {
    name: 'noreply does not silence a wrong word count, nor gat, which has no noreply',
    needs: [Capability.Gat],
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1 2 noreply\r\nx\r\n`, 'ERROR\r\nERROR\r\n'),
      say(`gat noreply ${key('a')}\r\n`, 'CLIENT_ERROR invalid exptime argument\r\n'),
      say(`gat soon noreply\r\n`, 'CLIENT_ERROR invalid exptime argument\r\n'),
    ],
  },
  { name: 'flags that are not a number', transcript: (key) => [say(`set ${key('a')} red 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA)] },
  { name: 'negative flags', transcript: (key) => [say(`set ${key('a')} -1 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA)] },
  { name: 'a CAS unique that is not a number', transcript: (key) => [say(`cas ${key('a')} 0 0 1 abc\r\nx\r\n`, BAD_FORMAT_THEN_DATA)] },
  { name: 'a negative CAS unique', transcript: (key) => [say(`cas ${key('a')} 0 0 1 -1\r\nx\r\n`, BAD_FORMAT_THEN_DATA)] },
  {
    name: 'an exptime beyond 64 bits in a storage command',
    transcript: (key) => [say(`set ${key('a')} 0 99999999999999999999 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA)],
  },
  {
    name: 'an exptime beyond 64 bits in touch',
    needs: [Capability.Touch],
    transcript: (key) => [say(`touch ${key('a')} 99999999999999999999\r\n`, 'CLIENT_ERROR invalid exptime argument\r\n')],
  },
  {
    name: 'a data block longer than declared (the rest of the line is read as an empty command)',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 3\r\nabcd\r\n`, `${BAD_CHUNK}ERROR\r\n`),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'a data block shorter than declared (the next command completes it, and what is left is read as a command)',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 8\r\nabc\r\n`, ''),
      say(`get ${key('a')}\r\n`, `${BAD_CHUNK}ERROR\r\n`),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'a data block ended by two bytes other than CRLF',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 3\r\nabcXY`, BAD_CHUNK),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'a data block ended by a bare LF',
    transcript: (key) => [say(`set ${key('a')} 0 0 3\r\nabc\n\n`, BAD_CHUNK), say(`get ${key('a')}\r\n`, 'END\r\n')],
  },
  {
    name: 'a bad data block leaves the old value in place',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 3\r\nold\r\n`, 'STORED\r\n'),
      say(`set ${key('a')} 0 0 3\r\nnew!!`, BAD_CHUNK),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'old')}END\r\n`),
    ],
  },
  { name: 'a 2 KB line without a newline: memcached hangs up', transcript: () => [say('x'.repeat(LONG_LINE), hangsUp())] },
  {
    name: 'a 2 KB storage line without a newline: memcached hangs up',
    transcript: () => [say(`set ${'k'.repeat(LONG_LINE)}`, hangsUp())],
  },
  {
    name: 'binary garbage on one line (the start of a TLS ClientHello)',
    transcript: () => [say('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xa7\xff\xfe\r\n', 'ERROR\r\n')],
  },
  { name: 'high bytes only', transcript: () => [say('\xff\xfe\xfd\xfc\xfb\r\n', 'ERROR\r\n')] },
  { name: 'an HTTP GET request: memcached hangs up without a reply', transcript: () => [say('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n', hangsUp())] },
  { name: 'an HTTP POST request line: memcached hangs up', transcript: () => [say('POST /items HTTP/1.0\r\n', hangsUp())] },
  { name: 'half a storage command, then the client disconnects', transcript: (key) => [disconnect(`set ${key('a')} 0 0 10\r\nabc`)] },
  { name: 'half a command line, then the client disconnects', transcript: (key) => [disconnect(`get ${key('a')}`)] },
  {
    name: 'too many tokens for set (the data block is read as a command too)',
    transcript: (key) => [say(`set ${key('a')} 0 0 1 noreply ${MANY_TOKENS}\r\nx\r\n`, 'ERROR\r\nERROR\r\n')],
  },
  { name: 'too many tokens for incr', transcript: (key) => [say(`incr ${key('a')} 1 noreply extra\r\n`, 'ERROR\r\n')] },
  { name: 'an unknown command with many tokens', transcript: () => [say(`frobnicate ${MANY_TOKENS}\r\n`, 'ERROR\r\n')] },
  {
    name: 'delete with an option other than 0 or noreply',
    transcript: (key) => [say(`delete ${key('a')} later\r\n`, 'CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n')],
  },
  {
    name: 'a length over 2^32, which memcached truncates',
    difference: 'memcached 1.6.18 keeps the low 32 bits of the length (4294967301 becomes 5) and stores; an out-of-range length is malformed',
    transcript: (key) => [say(`set ${key('a')} 0 0 4294967301\r\nabcde\r\n`, BAD_FORMAT_THEN_DATA), say(`get ${key('a')}\r\n`, 'END\r\n')],
  },
  {
    name: 'flags over 2^32 - 1, which memcached truncates',
    difference: 'memcached 1.6.18 keeps the low 32 bits of the flags (4294967296 becomes 0) and stores; out-of-range flags are malformed',
    transcript: (key) => [say(`set ${key('a')} 4294967296 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA), say(`get ${key('a')}\r\n`, 'END\r\n')],
  },
  {
    name: 'a negative length, flags or delta that memcached wraps modulo 2^64 or 2^32',
    difference: 'memcached 1.6.18 negates modulo 2^64 and refuses only results that look negative, so flags -18446744073709551615 are 1, a length of -4294967295 keeps its low 32 bits (1) and incr by -18446744073709551615 adds 1; KV Lab refuses every negative number but -0',
    transcript: (key) => [
      say(`set ${key('a')} -18446744073709551615 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('a')} 0 0 -4294967295\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`set ${key('n')} 0 0 1\r\n5\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} -18446744073709551615\r\n`, BAD_DELTA),
      say(`get ${key('a')} ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '5')}END\r\n`),
    ],
  },
  {
    name: 'a number followed by a tab and more text, which memcached reads as the number alone',
    difference: 'memcached 1.6.18 stops reading a number at whitespace and ignores the rest of the word (incr by "1\\tx" adds 1); KV Lab refuses the word, as both refuse "1x"',
    transcript: (key) => [
      say(`set ${key('n')} 0 0 1\r\n5\r\n`, 'STORED\r\n'),
      say(`incr ${key('n')} 1\tx\r\n`, BAD_DELTA),
      say(`set ${key('a')} 5\tjunk 0 1\r\nx\r\n`, BAD_FORMAT_THEN_DATA),
      say(`get ${key('a')} ${key('n')}\r\n`, `${valueBlock(key('n'), 0, '5')}END\r\n`),
    ],
  },
  {
    name: 'an exptime of -2^63 in touch, which memcached reads as 0 (never expires)',
    needs: [Capability.Touch],
    difference: 'memcached 1.6.18 keeps the low 32 bits of an exptime, and those of -2^63 are 0, so the touched item never expires; KV Lab reads the number as it is: negative, so the item expires at once',
    transcript: (key) => [
      say(`set ${key('a')} 0 0 1\r\nx\r\n`, 'STORED\r\n'),
      say(`touch ${key('a')} -9223372036854775808\r\n`, 'TOUCHED\r\n'),
      say(`get ${key('a')}\r\n`, 'END\r\n'),
    ],
  },
  {
    name: 'an exptime of 2^31 (a Unix time in 2038), which memcached reads as negative',
    difference: 'memcached 1.6.18 keeps exptimes in 32 signed bits, so a time past January 2038 wraps negative and the item expires at once; KV Lab keeps it until then',
    transcript: (key) => [
      say(`set ${key('a')} 0 2147483648 1\r\nx\r\n`, 'STORED\r\n'),
      say(`get ${key('a')}\r\n`, `${valueBlock(key('a'), 0, 'x')}END\r\n`),
    ],
  },
];
