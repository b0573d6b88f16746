/**
 * Frames of memcached's text protocol: well-formed requests of every command the fuzzer may send,
 * the same mutated byte by byte, and structured malformations aimed at the parser's limits —
 * huge, negative and non-numeric lengths, data blocks of the wrong size or with a bad terminator,
 * keys over 250 bytes, lines past 2048 bytes, lines with no end. `flush_all` is never generated:
 * it would erase the canary the run checks.
 * @module
 */
import { mutate } from './byte-mutators.ts';
import type { Draw } from './draw.ts';
import { fuzzKey, valueBytes, valueLength } from './fuzz-keys.ts';
import { MAX_LINE_LENGTH } from '../protocol/limits.ts';

const CRLF = '\r\n';
const STORAGE = ['set', 'add', 'replace', 'append', 'prepend'] as const;

/** Length tokens a parser must refuse or survive: negative, past 2^31, 2^32, 2^64, not decimal. */
const BAD_LENGTHS = [
  '-1', '-0', '2147483647', '2147483648', '4294967295', '4294967296', '4294967301', '18446744073709551616',
  '99999999999999999999999', '1048577', '0x10', '1e3', '+5', '5abc', '', '\x00',
] as const;

/** Flags, exptimes and deltas outside their ranges or not numbers at all. */
const BAD_NUMBERS = ['-1', '4294967296', '18446744073709551616', 'abc', '1.5', '-2592001', '99999999999', ''] as const;

function text(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
}

function noreply(draw: Draw): string {
  return draw.chance(0.15) ? ' noreply' : '';
}

function exptime(draw: Draw): number {
  return draw.weighted([[80, 0], [15, draw.int(1, 1000)], [5, draw.int(2_592_001, 2_000_000_000)]]);
}

function storage(draw: Draw, length = valueLength(draw), declared: string = String(length)): Buffer {
  const command = draw.chance(0.15) ? 'cas' : draw.pick(STORAGE);
  const cas = command === 'cas' ? ` ${draw.int(0, 1000)}` : '';
  const flags = draw.chance(0.8) ? 0 : draw.uint32();
  return text(`${command} ${fuzzKey(draw)} ${flags} ${exptime(draw)} ${declared}${cas}${noreply(draw)}${CRLF}`, valueBytes(draw, length), CRLF);
}

function keys(draw: Draw, count: number): string {
  return Array.from({ length: count }, () => fuzzKey(draw)).join(' ');
}

/** A well-formed request. */
export function validTextFrame(draw: Draw): Buffer {
  return draw.weighted<() => Buffer>([
    [30, () => storage(draw)],
    [25, () => text(`${draw.pick(['get', 'gets'])} ${keys(draw, draw.int(1, 4))}${CRLF}`)],
    [8, () => text(`delete ${fuzzKey(draw)}${noreply(draw)}${CRLF}`)],
    [10, () => text(`${draw.pick(['incr', 'decr'])} ${fuzzKey(draw)} ${draw.int(0, 1000)}${noreply(draw)}${CRLF}`)],
    [4, () => text(`touch ${fuzzKey(draw)} ${exptime(draw)}${noreply(draw)}${CRLF}`)],
    [4, () => text(`${draw.pick(['gat', 'gats'])} ${exptime(draw)} ${keys(draw, draw.int(1, 3))}${CRLF}`)],
    [3, () => text(`version${CRLF}`)],
    [1, () => text(`stats${CRLF}`)],
    [3, () => text(`mg ${fuzzKey(draw)} v f t${CRLF}`)],
    [3, () => {
      const length = valueLength(draw);
      return text(`ms ${fuzzKey(draw)} ${length}${draw.chance(0.5) ? ' T0' : ''}${CRLF}`, valueBytes(draw, length), CRLF);
    }],
    [2, () => text(`md ${fuzzKey(draw)}${CRLF}`)],
    [2, () => text(`ma ${fuzzKey(draw)}${CRLF}`)],
    [2, () => text(`mn${CRLF}`)],
    // quit: the server hangs up, which a session must tell from a server that stops answering.
    [0.3, () => text(`quit${CRLF}`)],
  ])();
}

/** A request with one deliberate fault aimed at a known limit or edge of the grammar. */
export function malformedTextFrame(draw: Draw): Buffer {
  return draw.weighted<() => Buffer>([
    [10, () => storage(draw, draw.int(0, 8), draw.pick(BAD_LENGTHS))],
    [8, () => {
      // The data block is shorter or longer than declared: the terminator check must catch it.
      const declared = draw.int(0, 64);
      const actual = Math.max(0, declared + draw.pick([-3, -2, -1, 1, 2, 3]));
      return text(`set ${fuzzKey(draw)} 0 0 ${declared}${CRLF}`, valueBytes(draw, actual), CRLF);
    }],
    [6, () => {
      const length = draw.int(0, 32);
      return text(`set ${fuzzKey(draw)} 0 0 ${length}${CRLF}`, valueBytes(draw, length), draw.pick(['\n', '\r', 'xx', '', '\r\r\n']));
    }],
    [8, () => {
      const [flags, ttl] = draw.chance(0.5) ? [draw.pick(BAD_NUMBERS), '0'] : ['0', draw.pick(BAD_NUMBERS)];
      return text(`set ${fuzzKey(draw)} ${flags} ${ttl} 1${CRLF}x${CRLF}`);
    }],
    [6, () => text(`${draw.pick(['incr', 'decr'])} ${fuzzKey(draw)} ${draw.pick(BAD_NUMBERS)}${CRLF}`)],
    [3, () => text(`touch ${fuzzKey(draw)} ${draw.pick(BAD_NUMBERS)}${CRLF}`)],
    [6, () => text(`get ${'k'.repeat(draw.int(251, 600))}${CRLF}`)],
    // Past memcached's 2048-byte line limit: the server hangs up or answers, and must not wait.
    [4, () => text('x'.repeat(draw.int(MAX_LINE_LENGTH - 8, MAX_LINE_LENGTH * 4)), draw.chance(0.5) ? CRLF : '')],
    [3, () => text(`get ${keys(draw, draw.int(200, 3000))}${CRLF}`)],
    [4, () => text(`set ${Array.from({ length: draw.int(6, 40) }, () => String(draw.int(0, 9))).join(' ')}${CRLF}`)],
    [6, () => text(draw.pick([CRLF, '\n', '\r', ' \r\n', '\x00\r\n', '\t\r\n', '   \n', '\r\r\r\n']))],
    [6, () => {
      // Noise without a line end, then one: any byte value may sit inside a command line.
      const noise = draw.bytes(draw.int(1, 64));
      for (let i = 0; i < noise.length; i++) if (noise[i] === 0x0a) noise[i] = 0x20;
      return text(noise, CRLF);
    }],
    [4, () => text(`${draw.pick(['GET', 'Set', 'DELETE', 'gEt', 'VERSION'])} ${fuzzKey(draw)}${CRLF}`)],
    [2, () => text(`GET / HTTP/1.0${CRLF}${CRLF}`)],
    // A command cut short: the next frame's bytes continue its line.
    [6, () => text(draw.pick(['get ', 'set fz:1 0 0 ', 'incr fz:2', 'delete', 'ms fz:3 ', 'gets fz:4 fz:']))],
    [4, () => text(`${draw.pick(['mg', 'ms', 'md', 'ma'])} ${fuzzKey(draw)} ${draw.pick(['S-1', 'T-1', 'N99999999999', 'v v v', 'O' + 'x'.repeat(40), 'q', 'b'])}${CRLF}`)],
  ])();
}

/** One text frame: well-formed (half), mutated from well-formed, or malformed on purpose. */
export function textFrame(draw: Draw): Buffer {
  return draw.weighted<() => Buffer>([
    [50, () => validTextFrame(draw)],
    [30, () => mutate(validTextFrame(draw), draw)],
    [20, () => malformedTextFrame(draw)],
  ])();
}
