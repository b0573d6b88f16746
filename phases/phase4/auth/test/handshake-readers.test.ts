/**
 * The pre-login readers of both protocols, fed whole and one byte at a time: the same events
 * must come out whichever way the bytes arrive, and what follows a login is handed back intact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextHandshake, MAX_CREDENTIALS_BLOCK } from '../text-handshake.ts';
import { BinaryHandshake } from '../binary-handshake.ts';

interface Reader<E> {
  feed(chunk: Buffer): void;
  next(): E | undefined;
  rest(): Buffer;
}

/** Every event from `bytes`, fed in pieces of `size` bytes, and the bytes left over. */
function drain<E>(reader: Reader<E>, bytes: Buffer, size: number): { events: E[]; rest: Buffer } {
  const events: E[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    reader.feed(bytes.subarray(offset, offset + size));
    for (let event = reader.next(); event !== undefined; event = reader.next()) events.push(event);
  }
  return { events, rest: reader.rest() };
}

const SIZES = [1 << 20, 1, 3, 7];
const latin1 = (text: string) => Buffer.from(text, 'latin1');

test('text: every line but a set is refused; a set\'s block is the credentials', () => {
  const input = latin1('get foo\r\nset k 0 0\r\nset k 0 0 -1\r\nset k 0 0 12 noreply\r\nalice secret\r\nget k\r\n');
  for (const size of SIZES) {
    const { events } = drain(new TextHandshake(), input, size);
    assert.deepEqual(events, [
      { kind: 'refuse', code: 'AUTH_REQUIRED' },
      { kind: 'refuse', code: 'AUTH_REQUIRED' },
      { kind: 'refuse', code: 'AUTH_REQUIRED' },
      { kind: 'credentials', user: 'alice', password: latin1('secret') },
      { kind: 'refuse', code: 'AUTH_REQUIRED' },
    ], `pieces of ${size}`);
  }
});

test('text: the bytes after the credentials are handed back untouched', () => {
  for (const size of [1 << 20, 1]) {
    const reader = new TextHandshake();
    const events = [];
    const input = latin1('set k 0 0 12\r\nalice secret\r\nget k\r\nset x 0 0 1\r\n');
    let offset = 0;
    // Stop reading at the credentials, as the door does.
    while (events.length === 0) {
      reader.feed(input.subarray(offset, offset + size));
      offset += size;
      const event = reader.next();
      if (event) events.push(event);
    }
    assert.equal(Buffer.concat([reader.rest(), input.subarray(offset)]).toString('latin1'), 'get k\r\nset x 0 0 1\r\n');
  }
});

test('text: one word, a bad ending, an oversized block and a line without end', () => {
  const oversized = 'x'.repeat(MAX_CREDENTIALS_BLOCK + 1);
  const input = latin1(`set k 0 0 5\r\nalice\r\nset k 0 0 3\r\nabcde\r\nset k 0 0 ${oversized.length}\r\n${oversized}\r\n${'y'.repeat(3000)}`);
  for (const size of SIZES) {
    const { events } = drain(new TextHandshake(), input, size);
    assert.deepEqual(events, [
      { kind: 'refuse', code: 'AUTH_BAD_TOKEN' },
      { kind: 'refuse', code: 'AUTH_BAD_TERMINATION' },
      // What is left of the 5 bytes after the 3 the block declared: "de" is a line of its own.
      { kind: 'refuse', code: 'AUTH_REQUIRED' },
      { kind: 'oversized' },
      { kind: 'close' },
    ], `pieces of ${size}`);
  }
});

/** A binary request header and body. */
function request(opcode: number, key: string, value: string, options: { magic?: number; extras?: number; opaque?: number; bodyLength?: number } = {}): Buffer {
  const header = Buffer.alloc(24);
  header[0] = options.magic ?? 0x80;
  header[1] = opcode;
  header.writeUInt16BE(key.length, 2);
  header[4] = options.extras ?? 0;
  header.writeUInt32BE(options.bodyLength ?? (options.extras ?? 0) + key.length + value.length, 8);
  header.writeUInt32BE(options.opaque ?? 0, 12);
  return Buffer.concat([header, Buffer.alloc(options.extras ?? 0), latin1(key), latin1(value)]);
}

test('binary: SASL requests and Version are read; anything else is refused and closes', () => {
  const input = Buffer.concat([
    request(0x20, '', '', { opaque: 1 }),
    request(0x0b, '', '', { opaque: 2 }),
    request(0x21, 'PLAIN', '\0alice\0secret', { opaque: 3 }),
    request(0x22, 'PLAIN', '\0bob\0pw', { opaque: 4 }),
    request(0x00, 'key', '', { opaque: 5 }),
    request(0x0b, '', '', { opaque: 6 }),
  ]);
  for (const size of SIZES) {
    const { events } = drain(new BinaryHandshake(), input, size);
    assert.deepEqual(events, [
      { kind: 'list', opcode: 0x20, opaque: 1 },
      { kind: 'version', opcode: 0x0b, opaque: 2 },
      { kind: 'sasl', opcode: 0x21, opaque: 3, step: false, mechanism: 'PLAIN', message: latin1('\0alice\0secret') },
      { kind: 'sasl', opcode: 0x22, opaque: 4, step: true, mechanism: 'PLAIN', message: latin1('\0bob\0pw') },
      { kind: 'refuse', opcode: 0x00, opaque: 5, status: 0x20, close: true },
    ], `pieces of ${size}`);
  }
});

test('binary: bad headers, in memcached\'s order of checks', () => {
  const cases: [Buffer, unknown][] = [
    [request(0x21, 'PLAIN', 'x', { magic: 0x81 }), { kind: 'close' }],
    [request(0x21, 'PLAIN', '', { bodyLength: 2 }), { kind: 'refuse', opcode: 0x21, opaque: 0, status: 0x81, close: true }],
    [request(0x21, 'k'.repeat(251), ''), { kind: 'refuse', opcode: 0x21, opaque: 0, status: 0x04, close: true }],
    [request(0x20, 'PLAIN', ''), { kind: 'refuse', opcode: 0x20, opaque: 0, status: 0x04, close: true }],
    [request(0x21, '', 'x'), { kind: 'refuse', opcode: 0x21, opaque: 0, status: 0x04, close: true }],
    [request(0x21, 'PLAIN', 'x', { extras: 4 }), { kind: 'refuse', opcode: 0x21, opaque: 0, status: 0x04, close: true }],
    // A mechanism name over 32 bytes: Invalid arguments, the body skipped, the connection kept.
    [request(0x21, 'M'.repeat(33), 'body'), { kind: 'refuse', opcode: 0x21, opaque: 0, status: 0x04, close: false }],
    [request(0x21, 'PLAIN', 'p'.repeat(2000)), { kind: 'oversized', opcode: 0x21, opaque: 0 }],
  ];
  for (const [bytes, expected] of cases) {
    for (const size of [1 << 20, 1]) {
      const { events } = drain(new BinaryHandshake(), bytes, size);
      assert.deepEqual(events, [expected], `${bytes.subarray(0, 24).toString('hex')} in pieces of ${size}`);
    }
  }
});
