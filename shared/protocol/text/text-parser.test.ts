/**
 * The text parser, fed whole, one byte at a time and at random split points: every way of cutting
 * the input must yield the same commands.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextParser } from './text-parser.ts';
import type { TextCommand } from './text-command.ts';
import { DEFAULT_MAX_ITEM_SIZE, MAX_LINE_LENGTH } from '../limits.ts';

/** Plain objects for comparison (Buffers become strings). */
function plain(command: TextCommand): unknown {
  if (command.kind === 'storage') return { ...command, data: command.data.toString('latin1') };
  return { ...command };
}

function parseChunks(chunks: Buffer[], maxItemSize = DEFAULT_MAX_ITEM_SIZE): { commands: unknown[]; closed: boolean; buffered: number } {
  const parser = new TextParser({ maxItemSize });
  const commands: unknown[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let command = parser.next(); command; command = parser.next()) commands.push(plain(command));
  }
  return { commands, closed: parser.closed, buffered: parser.bufferedBytes };
}

function splitAt(input: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const point of points) {
    chunks.push(input.subarray(last, point));
    last = point;
  }
  chunks.push(input.subarray(last));
  return chunks;
}

const bytes = (text: string) => Buffer.from(text, 'latin1');

const STREAM = bytes(
  'set a 1 0 5\r\nhello\r\n' +
    'get a b\n' +
    'gets a\r\n' +
    'cas a 0 0 2 17 noreply\r\nhi\r\n' +
    'append a 0 0 0\r\n\r\n' +
    'incr n 18446744073709551615\r\n' +
    'decr n 1 noreply\r\n' +
    'delete a\r\ndelete a 0\r\ndelete a noreply\r\n' +
    'touch a -1\r\n' +
    'gat 100 a b\r\ngats 0 a\r\n' +
    'flush_all\r\nflush_all 10\r\nflush_all noreply\r\nflush_all 0 noreply\r\n' +
    'verbosity 1\r\nversion\r\nstats\r\nstats settings\r\n' +
    'set big 0 0 2\r\nxyzw\r\n' +
    '\r\n' +
    'GET a\r\n' +
    'quit\r\n',
);

describe('text parser', () => {
  test('parses a stream of every command', { timeout: 5000 }, () => {
    const { commands } = parseChunks([STREAM]);
    assert.deepEqual(commands[0], { kind: 'storage', name: 'set', key: 'a', flags: 1, exptime: 0, casUnique: 0n, noreply: false, length: 5, data: 'hello', tooLarge: false });
    assert.deepEqual(commands[1], { kind: 'retrieval', name: 'get', keys: ['a', 'b'], exptime: 0 });
    assert.deepEqual(commands[3], { kind: 'storage', name: 'cas', key: 'a', flags: 0, exptime: 0, casUnique: 17n, noreply: true, length: 2, data: 'hi', tooLarge: false });
    assert.deepEqual(commands[5], { kind: 'arith', name: 'incr', key: 'n', delta: 18446744073709551615n, noreply: false });
    assert.deepEqual(commands[8], { kind: 'delete', key: 'a', noreply: false });
    assert.deepEqual(commands[9], { kind: 'delete', key: 'a', noreply: true });
    assert.deepEqual(commands[10], { kind: 'touch', key: 'a', exptime: -1, noreply: false });
    assert.deepEqual(commands[11], { kind: 'retrieval', name: 'gat', keys: ['a', 'b'], exptime: 100 });
    assert.deepEqual(commands.slice(13, 17), [
      { kind: 'flush_all', delay: 0, noreply: false },
      { kind: 'flush_all', delay: 10, noreply: false },
      { kind: 'flush_all', delay: 0, noreply: true },
      { kind: 'flush_all', delay: 0, noreply: true },
    ]);
    assert.deepEqual(commands[17], { kind: 'verbosity', level: 1, noreply: false });
    assert.deepEqual(commands[19], { kind: 'stats', group: '' });
    assert.deepEqual(commands[20], { kind: 'stats', group: 'settings' });
    // "xyzw" for 2 declared bytes: "xy" then "zw" where CRLF should be; the leftover CRLF is an empty line.
    assert.deepEqual(commands.slice(21, 25), [
      { kind: 'error', code: 'BAD_DATA_CHUNK', noreply: false },
      { kind: 'error', code: 'UNKNOWN_COMMAND', noreply: false },
      { kind: 'error', code: 'UNKNOWN_COMMAND', noreply: false },
      { kind: 'error', code: 'UNKNOWN_COMMAND', noreply: false },
    ]);
    assert.deepEqual(commands[25], { kind: 'quit' });
    assert.equal(commands.length, 26);
  });

  test('byte by byte gives the same commands as whole', { timeout: 5000 }, () => {
    const whole = parseChunks([STREAM]).commands;
    const single = parseChunks([...STREAM].map((b) => Buffer.from([b]))).commands;
    assert.deepEqual(single, whole);
  });

  test('any split points give the same commands as whole', { timeout: 20000 }, () => {
    const whole = parseChunks([STREAM]).commands;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        assert.deepEqual(parseChunks(splitAt(STREAM, cuts)).commands, whole);
      }),
      { numRuns: 300 },
    );
  });

  test('a data block spanning many chunks is joined once, exactly', { timeout: 5000 }, () => {
    const value = Buffer.alloc(100_000, 'v');
    const input = Buffer.concat([bytes('set k 0 0 100000\r\n'), value, bytes('\r\nget k\r\n')]);
    const chunks = [];
    for (let i = 0; i < input.length; i += 1000) chunks.push(input.subarray(i, i + 1000));
    const { commands } = parseChunks(chunks);
    assert.equal(commands.length, 2);
    assert.equal((commands[0] as { data: string }).data, value.toString('latin1'));
  });
});

describe('text parser limits', () => {
  test('an item over the size limit is flagged and its bytes discarded, not buffered', { timeout: 5000 }, () => {
    const parser = new TextParser({ maxItemSize: 1024 });
    parser.feed(bytes('set big 0 0 5000\r\n'));
    const command = parser.next();
    assert.equal(command?.kind, 'storage');
    assert.equal(command.kind === 'storage' && command.tooLarge, true);
    for (let i = 0; i < 5; i++) {
      parser.feed(Buffer.alloc(1000, 'x'));
      assert.equal(parser.next(), undefined);
      assert.equal(parser.bufferedBytes, 0, 'swallowed bytes must not be kept');
    }
    parser.feed(bytes('\r\nversion\r\n'));
    assert.deepEqual(parser.next(), { kind: 'version' });
  });

  test('the size check counts key and overhead like memcached', { timeout: 5000 }, () => {
    const limit = 1024 * 1024;
    const fits = parseChunks([bytes(`set bb 0 0 1048515\r\n`), Buffer.alloc(1048515), bytes('\r\n')], limit).commands[0] as { tooLarge: boolean };
    const over = parseChunks([bytes(`set bb 0 0 1048516\r\n`)], limit).commands[0] as { tooLarge: boolean };
    assert.equal(fits.tooLarge, false);
    assert.equal(over.tooLarge, true);
  });

  test('a line over 2048 bytes without a newline closes the connection', { timeout: 5000 }, () => {
    const { commands, closed } = parseChunks([Buffer.alloc(MAX_LINE_LENGTH + 1, 'x')]);
    assert.deepEqual(commands, [{ kind: 'error', code: 'LINE_TOO_LONG', noreply: false }]);
    assert.equal(closed, true);
  });

  test('a long multi-get line is allowed to arrive in pieces', { timeout: 5000 }, () => {
    const keys = Array.from({ length: 600 }, (_, i) => `key${i}`);
    const line = bytes(`get ${keys.join(' ')}\r\n`);
    const chunks = [];
    for (let i = 0; i < line.length; i += 100) chunks.push(line.subarray(i, i + 100));
    const { commands, closed } = parseChunks(chunks);
    assert.equal(closed, false);
    assert.deepEqual(commands, [{ kind: 'retrieval', name: 'get', keys, exptime: 0 }]);
  });

  test('an HTTP request is hung up on', { timeout: 5000 }, () => {
    const { commands, closed } = parseChunks([bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
    assert.deepEqual(commands, [{ kind: 'error', code: 'HTTP_REQUEST', noreply: false }]);
    assert.equal(closed, true);
  });
});

describe('text grammar errors', () => {
  const cases: [string, string, boolean?][] = [
    ['GET a', 'UNKNOWN_COMMAND'],
    ['get', 'UNKNOWN_COMMAND'],
    ['set a 0 0', 'UNKNOWN_COMMAND'],
    ['set a 0 0 1 noreply extra', 'UNKNOWN_COMMAND'],
    ['cas a 0 0 1', 'UNKNOWN_COMMAND'],
    [`set ${'k'.repeat(251)} 0 0 1`, 'BAD_FORMAT'],
    [`get a ${'k'.repeat(251)}`, 'BAD_FORMAT'],
    ['get a\x01b', 'BAD_FORMAT'],
    ['set a x 0 1', 'BAD_FORMAT'],
    ['set a -1 0 1', 'BAD_FORMAT'],
    ['set a 4294967296 0 1', 'BAD_FORMAT'],
    ['set a 0 x 1', 'BAD_FORMAT'],
    ['set a 0 0 -1', 'BAD_FORMAT'],
    ['set a 0 0 2147483648', 'BAD_FORMAT'],
    ['set a 0 0 1 noreply x', 'UNKNOWN_COMMAND'],
    ['set a x 0 1 noreply', 'BAD_FORMAT', true],
    ['cas a 0 0 1 x', 'BAD_FORMAT'],
    ['cas a 0 0 1 18446744073709551616', 'BAD_FORMAT'],
    ['incr a x', 'BAD_DELTA'],
    ['incr a -1', 'BAD_DELTA'],
    ['incr a 18446744073709551616', 'BAD_DELTA'],
    ['incr a', 'UNKNOWN_COMMAND'],
    ['delete a 5', 'BAD_DELETE'],
    ['delete', 'UNKNOWN_COMMAND'],
    ['delete a 0 noreply x', 'UNKNOWN_COMMAND'],
    ['touch a x', 'BAD_EXPTIME'],
    ['touch a', 'UNKNOWN_COMMAND'],
    ['gat x a', 'BAD_EXPTIME'],
    ['gat', 'UNKNOWN_COMMAND'],
    ['flush_all x', 'BAD_EXPTIME'],
    ['flush_all 1 2 3', 'UNKNOWN_COMMAND'],
    ['verbosity', 'UNKNOWN_COMMAND'],
    ['verbosity x', 'BAD_FORMAT'],
    ['foo HTTP/1.1 x', 'UNKNOWN_COMMAND'],
    ['', 'UNKNOWN_COMMAND'],
    ['   ', 'UNKNOWN_COMMAND'],
  ];
  for (const [line, code, noreply = false] of cases) {
    test(`${JSON.stringify(line.slice(0, 40))} → ${code}`, { timeout: 2000 }, () => {
      const { commands } = parseChunks([bytes(`${line}\r\n`)]);
      assert.deepEqual(commands[0], { kind: 'error', code, noreply });
    });
  }

  test('a rejected storage line does not swallow its data block', { timeout: 2000 }, () => {
    const { commands } = parseChunks([bytes('set a x 0 1\r\nx\r\n')]);
    assert.deepEqual(commands, [
      { kind: 'error', code: 'BAD_FORMAT', noreply: false },
      { kind: 'error', code: 'UNKNOWN_COMMAND', noreply: false },
    ]);
  });

  test('a word other than noreply in the noreply place is ignored', { timeout: 2000 }, () => {
    const { commands } = parseChunks([bytes('set a 0 0 1 garbage\r\nx\r\nincr a 1 2\r\n')]);
    assert.equal((commands[0] as { noreply: boolean }).noreply, false);
    assert.deepEqual(commands[1], { kind: 'arith', name: 'incr', key: 'a', delta: 1n, noreply: false });
  });

  test('exptime accepts negative and large absolute values', { timeout: 2000 }, () => {
    const { commands } = parseChunks([bytes('touch a -5\r\ntouch a 99999999999\r\ntouch a 99999999999999999999\r\n')]);
    assert.deepEqual(commands, [
      { kind: 'touch', key: 'a', exptime: -5, noreply: false },
      { kind: 'touch', key: 'a', exptime: 99999999999, noreply: false },
      { kind: 'error', code: 'BAD_EXPTIME', noreply: false },
    ]);
  });
});
