/**
 * Checks for exercise 2.2 (binary-reply): the header byte by byte (a mismatch names the field),
 * the reply to a Get hit, and a stream of replies read back by the client's own decoder.
 */
import { describe, test } from 'node:test';
import { Opcode, Status } from '../../shared/protocol/binary/constants.ts';
import { splitResponses } from '../../shared/protocol/binary/response-decoder.ts';
import type { Item } from '../../shared/store/store.ts';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, fail, show } from '../../shared/course/checks.ts';

const { writeResponseHeader, BinaryReply } = await loadExercise<typeof import('./binary-reply.ts')>(import.meta.url);

const T = { timeout: 10_000 };

/** The header's fields: name, first byte, length. */
const FIELDS: readonly (readonly [string, number, number])[] = [
  ['magic', 0, 1], ['opcode', 1, 1], ['key length', 2, 2], ['extras length', 4, 1], ['data type', 5, 1],
  ['status', 6, 2], ['body length', 8, 4], ['opaque', 12, 4], ['CAS', 16, 8],
];

/** Compares two headers field by field, and names every field that differs. */
function expectHeader(received: Buffer, expected: Buffer, given: string): void {
  if (received.equals(expected)) return;
  const hex = (bytes: Buffer) => bytes.toString('hex').replace(/(..)/g, '$1 ').trim();
  const wrong = FIELDS.filter(([, at, length]) => !received.subarray(at, at + length).equals(expected.subarray(at, at + length)))
    .map(([name, at, length]) => `${name} (${length === 1 ? `byte ${at}` : `bytes ${at}–${at + length - 1}`}): expected ${hex(expected.subarray(at, at + length))}, received ${hex(received.subarray(at, at + length))}`);
  fail(given, hex(expected), `${hex(received)}\n          ${wrong.join('\n          ')}`);
}

/** A header built from named values, the slow obvious way, to compare against. */
function header(fields: { opcode: number; keyLength: number; extrasLength: number; status: number; bodyLength: number; opaque: number; cas: bigint }): Buffer {
  const bytes = Buffer.alloc(24);
  bytes[0] = 0x81;
  bytes[1] = fields.opcode;
  bytes.writeUInt16BE(fields.keyLength, 2);
  bytes[4] = fields.extrasLength;
  bytes.writeUInt16BE(fields.status, 6);
  bytes.writeUInt32BE(fields.bodyLength, 8);
  bytes.writeUInt32BE(fields.opaque, 12);
  bytes.writeBigUInt64BE(fields.cas, 16);
  return bytes;
}

const ITEM: Item = { key: 'user:7', flags: 0xcafe, value: Buffer.from('hello'), cas: 77n };

describe('2.2 binary-reply', () => {
  test('writeResponseHeader: the 24-byte header, field by field', T, () => {
    const target = Buffer.alloc(24);
    writeResponseHeader(target, 0, Opcode.Add, Status.KeyExists, 4, 3, 10, 0xdeadbeef, 0x0102n);
    expectHeader(target, header({ opcode: 0x02, keyLength: 3, extrasLength: 4, status: 0x0002, bodyLength: 10, opaque: 0xdeadbeef, cas: 0x0102n }),
      'writeResponseHeader(target, 0, Add, KeyExists, extras 4, key 3, body 10, opaque 0xdeadbeef, cas 0x0102)');
  });

  test('a CAS keeps all 64 bits, above 2^32 and 2^53 too', T, () => {
    for (const cas of [2n ** 40n + 5n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const target = Buffer.alloc(24);
      writeResponseHeader(target, 0, Opcode.Set, Status.Success, 0, 0, 0, 1, cas);
      expectHeader(target, header({ opcode: 0x01, keyLength: 0, extrasLength: 0, status: 0, bodyLength: 0, opaque: 1, cas }),
        `writeResponseHeader(..., Set, Success, ..., cas ${cas})`);
    }
  });

  test('the header lands at `offset`, and no byte outside its 24 changes', T, () => {
    const target = Buffer.alloc(40, 0xaa);
    writeResponseHeader(target, 8, Opcode.Noop, Status.Success, 0, 0, 0, 9, 0n);
    expectHeader(target.subarray(8, 32), header({ opcode: Opcode.Noop, keyLength: 0, extrasLength: 0, status: 0, bodyLength: 0, opaque: 9, cas: 0n }),
      'writeResponseHeader(target, offset 8, Noop, ...)');
    expectSame([...target.subarray(0, 8), ...target.subarray(32)], new Array<number>(16).fill(0xaa), 'the bytes before offset 8 and after offset 31 (0xaa = untouched)');
  });

  test('an error reply is the header and memcached\'s words; CAS 0', T, () => {
    const reply = new BinaryReply();
    reply.error(Opcode.Get, 7, Status.KeyNotFound);
    const bytes = Buffer.concat(reply.take());
    expectHeader(bytes.subarray(0, 24), header({ opcode: 0, keyLength: 0, extrasLength: 0, status: 1, bodyLength: 9, opaque: 7, cas: 0n }), 'error(Get, opaque 7, KeyNotFound): header');
    expectSame(bytes.subarray(24).toString('latin1'), 'Not found', 'error(Get, opaque 7, KeyNotFound): body');
  });

  test('a Get hit: the flags as extras, then the value as its own piece, not copied', T, () => {
    const reply = new BinaryReply();
    reply.item(Opcode.Get, 5, ITEM, false, true);
    const given = `item(Get, opaque 5, ${show(ITEM)}, withKey false, withValue true)`;
    expectSame(reply.chunks.length, 2, `${given}: number of pieces (header + flags, then the value)`);
    expectHeader(reply.chunks[0]!.subarray(0, 24), header({ opcode: 0, keyLength: 0, extrasLength: 4, status: 0, bodyLength: 9, opaque: 5, cas: 77n }), `${given}: header`);
    expectSame(reply.chunks[0]!.readUInt32BE(24), ITEM.flags, `${given}: the 4 bytes of extras (flags)`);
    if (reply.chunks[1] !== ITEM.value) fail(given, 'the second piece to be item.value itself (the same Buffer object)', `a different Buffer: ${show(reply.chunks[1])}`);
    expectSame(reply.bytes, 24 + 4 + 5, `${given}: reply.bytes`);
  });

  test('GetK carries the key; Touch carries neither key nor value; an empty value adds no piece', T, () => {
    const reply = new BinaryReply();
    reply.item(Opcode.GetK, 1, ITEM, true, true);
    const keyed = reply.take();
    expectSame(keyed[0]!.subarray(28).toString('latin1'), ITEM.key, 'item(GetK, …, withKey true): the bytes after the flags');
    expectSame(keyed[0]!.readUInt32BE(8), 4 + ITEM.key.length + ITEM.value.length, 'item(GetK, …): body length (extras + key + value)');
    reply.item(Opcode.Touch, 2, ITEM, false, false);
    expectSame(Buffer.concat(reply.take()).length, 28, 'item(Touch, …, withValue false): total bytes (header + flags only)');
    reply.item(Opcode.Get, 3, { ...ITEM, value: Buffer.alloc(0) }, false, true);
    expectSame(reply.take().length, 1, 'item(Get, …) of an empty value: number of pieces');
  });

  test("a stream of replies reads back with the client's decoder", T, () => {
    const reply = new BinaryReply();
    reply.success(Opcode.Set, 1, 42n);
    reply.item(Opcode.GetK, 2, ITEM, true, true);
    reply.counter(Opcode.Increment, 3, 43n, 1000n);
    reply.keyMiss(Opcode.GetK, 4, 'gone');
    const { responses, rest } = splitResponses(Buffer.concat(reply.take()));
    const seen = responses.map((r) => ({ opcode: r.opcode, status: r.status, opaque: r.opaque, cas: r.cas, key: r.key.toString('latin1'), value: r.value.toString('latin1') }));
    expectSame({ seen, leftover: rest.length }, {
      seen: [
        { opcode: Opcode.Set, status: 0, opaque: 1, cas: 42n, key: '', value: '' },
        { opcode: Opcode.GetK, status: 0, opaque: 2, cas: 77n, key: 'user:7', value: 'hello' },
        { opcode: Opcode.Increment, status: 0, opaque: 3, cas: 43n, key: '', value: '\x00\x00\x00\x00\x00\x00\x03\xe8' },
        { opcode: Opcode.GetK, status: 1, opaque: 4, cas: 0n, key: 'gone', value: '' },
      ],
      leftover: 0,
    }, 'success(Set), item(GetK), counter(Increment, 1000), keyMiss(GetK, "gone"), decoded by splitResponses()');
  });
});
