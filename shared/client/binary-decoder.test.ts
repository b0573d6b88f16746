// The binary decoder: a transcript of every reply kind, fed whole, byte by byte and at random
// splits; each reply checked against its request's opaque; limits enforced on the header alone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COUNTER_LENGTH, HEADER_LENGTH, Opcode, Status } from '../protocol/binary/constants.ts';
import { storeExtras } from '../protocol/binary/request-encoder.ts';
import { BinaryReplyDecoder } from './binary-decoder.ts';
import type { ClientError } from './client-errors.ts';
import type { Reply } from './reply.ts';
import { response, type ResponseFields } from './test/binary-packets.ts';

/** A sink that expects replies tagged with the given opaques, in order, and records what it receives. */
function recorder(tags: number[]) {
  const queue = [...tags];
  const replies: Reply[] = [];
  const failures: ClientError[] = [];
  const decoder = new BinaryReplyDecoder(
    {
      expectedShape: () => undefined,
      expectedTag: () => queue[0],
      reply: (reply) => {
        queue.shift();
        replies.push(reply);
      },
      fail: (error) => failures.push(error),
    },
    { maxValueBytes: 1024 },
  );
  return { decoder, replies, failures };
}

/** The decoder's body limit at maxValueBytes 1024: the value, 20 bytes of extras and a 250-byte key. */
const BODY_LIMIT = 1024 + 20 + 250;
const flags = (value: number) => storeExtras(value, 0).subarray(0, 4);
const counter = (value: bigint) => {
  const bytes = Buffer.alloc(COUNTER_LENGTH);
  bytes.writeBigUInt64BE(value);
  return bytes;
};

/** Each reply's packets, with the opaque of the request it answers. */
const TRANSCRIPT: [number, ResponseFields[]][] = [
  [1, [{ opcode: Opcode.Set, cas: 3 }]],
  [2, [{ opcode: Opcode.GetK, extras: flags(5), key: 'k', value: '\r\n\r\n', cas: 7 }]],
  [3, [{ opcode: Opcode.GetK, status: Status.KeyNotFound, value: 'Not found' }]],
  [4, [
    { opcode: Opcode.GetKQ, extras: flags(0), key: 'a', value: 'A', cas: 8 },
    { opcode: Opcode.GetKQ, extras: flags(1), key: 'b', value: 'x'.repeat(1000), cas: 2n ** 64n - 1n },
    { opcode: Opcode.Noop },
  ]],
  [5, [{ opcode: Opcode.Increment, value: counter(2n ** 64n - 1n) }]],
  [6, [{ opcode: Opcode.Decrement, status: Status.KeyNotFound, value: 'Not found' }]],
  [7, [{ opcode: Opcode.Add, status: Status.KeyExists, value: 'Data exists for key.' }]],
  [8, [{ opcode: Opcode.Set, status: Status.KeyExists, value: 'Data exists for key.' }]],
  [9, [{ opcode: Opcode.Append, status: Status.NotStored, value: 'Not stored.' }]],
  [10, [{ opcode: Opcode.Delete }]],
  [11, [{ opcode: Opcode.Version, value: '1.6.18' }]],
  [12, [{ opcode: Opcode.Stat, key: 'pid', value: '1' }, { opcode: Opcode.Stat, key: 'version', value: '1.6.18' }, { opcode: Opcode.Stat }]],
  [13, [{ opcode: Opcode.Increment, status: Status.NonNumeric, value: 'Non-numeric server-side value for incr or decr' }]],
  [14, [{ opcode: Opcode.Flush }]],
  [15, [{ opcode: Opcode.Touch, status: Status.KeyNotFound, value: 'Not found' }]],
  [16, [{ opcode: Opcode.Set, status: Status.TooLarge, value: 'Too large.' }]],
];
const TAGS = TRANSCRIPT.map(([tag]) => tag);
const BYTES = Buffer.concat(TRANSCRIPT.flatMap(([opaque, fields]) => fields.map((f) => response({ ...f, opaque }))));

function checkTranscript(replies: Reply[]) {
  assert.deepEqual(replies, [
    { kind: 'status', status: 'STORED' },
    { kind: 'values', items: [{ key: 'k', flags: 5, value: Buffer.from('\r\n\r\n'), cas: 7n }] },
    { kind: 'values', items: [] },
    { kind: 'values', items: [
      { key: 'a', flags: 0, value: Buffer.from('A'), cas: 8n },
      { key: 'b', flags: 1, value: Buffer.from('x'.repeat(1000)), cas: 2n ** 64n - 1n },
    ] },
    { kind: 'number', value: 2n ** 64n - 1n },
    { kind: 'status', status: 'NOT_FOUND' },
    { kind: 'status', status: 'NOT_STORED' },
    { kind: 'status', status: 'EXISTS' },
    { kind: 'status', status: 'NOT_STORED' },
    { kind: 'status', status: 'DELETED' },
    { kind: 'version', version: '1.6.18' },
    { kind: 'stats', stats: new Map([['pid', '1'], ['version', '1.6.18']]) },
    { kind: 'error', type: 'CLIENT_ERROR', message: 'Non-numeric server-side value for incr or decr', code: 'NON_NUMERIC' },
    { kind: 'status', status: 'OK' },
    { kind: 'status', status: 'NOT_FOUND' },
    { kind: 'error', type: 'SERVER_ERROR', message: 'Too large.', code: 'TOO_LARGE' },
  ]);
}

describe('binary decoder', { timeout: 20_000 }, () => {
  test('decodes a transcript fed in one chunk', () => {
    const { decoder, replies, failures } = recorder(TAGS);
    decoder.feed(BYTES);
    assert.deepEqual(failures, []);
    checkTranscript(replies);
  });

  test('decodes the same transcript fed one byte at a time', () => {
    const { decoder, replies, failures } = recorder(TAGS);
    for (let i = 0; i < BYTES.length; i++) decoder.feed(BYTES.subarray(i, i + 1));
    assert.deepEqual(failures, []);
    checkTranscript(replies);
  });

  test('decodes the same transcript split at random points', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: BYTES.length - 1 }), { maxLength: 20 }), (cuts) => {
        const { decoder, replies, failures } = recorder(TAGS);
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          decoder.feed(BYTES.subarray(from, cut));
          from = cut;
        }
        decoder.feed(BYTES.subarray(from));
        assert.deepEqual(failures, []);
        checkTranscript(replies);
      }),
      { numRuns: 300 },
    );
  });

  test('an error from one quiet get of a multi-get stands for the whole get, at its Noop', () => {
    const { decoder, replies, failures } = recorder([1, 2]);
    decoder.feed(Buffer.concat([
      response({ opcode: Opcode.GetKQ, extras: flags(0), key: 'a', value: 'A', opaque: 1 }),
      response({ opcode: Opcode.GetKQ, status: Status.OutOfMemory, value: 'Out of memory', opaque: 1 }),
      response({ opcode: Opcode.Noop, opaque: 1 }),
      response({ opcode: Opcode.Set, opaque: 2 }),
    ]));
    assert.deepEqual(failures, []);
    assert.deepEqual(replies, [
      { kind: 'error', type: 'SERVER_ERROR', message: 'Out of memory', code: 'NO_MEMORY' },
      { kind: 'status', status: 'STORED' },
    ]);
  });

  test('a status this client does not know is a SERVER_ERROR naming it', () => {
    const { decoder, replies } = recorder([1]);
    decoder.feed(response({ opcode: Opcode.Delete, status: 0x20, value: 'Authentication required', opaque: 1 }));
    assert.deepEqual(replies, [{ kind: 'error', type: 'SERVER_ERROR', message: 'binary status 0x0020 Authentication required', code: undefined }]);
  });

  test('memcached\'s text greeting over its connection limit fails as SERVER_REPLY, keeping the reply', () => {
    const { decoder, failures } = recorder([1]);
    decoder.feed(Buffer.from('ERROR Too many open connections\r\n'));
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.code, 'SERVER_REPLY');
    assert.deepEqual(failures[0]!.reply, { kind: 'error', type: 'ERROR', message: 'Too many open connections', code: 'TOO_MANY_CONNECTIONS' });
  });

  const malformed: [string, Buffer, number[]][] = [
    ['a reply whose opaque is not the oldest request\'s', response({ opcode: Opcode.Set, opaque: 2 }), [1, 2]],
    ['a reply nobody asked for', response({ opcode: Opcode.Set, opaque: 1 }), []],
    ['a request magic where a response should be', Buffer.from(response({ opcode: Opcode.Set, opaque: 1 }).fill(0x80, 0, 1)), [1]],
    ['a text line where a header should be', Buffer.from('STORED\r\nSTORED\r\nSTORED\r\nSTORED\r\n'), [1]],
    // Only the header is fed: the limit must be enforced before any of the body is awaited.
    ['a body over the limit', response({ opcode: Opcode.GetK, extras: flags(0), key: 'k', value: 'x'.repeat(BODY_LIMIT), opaque: 1 }).subarray(0, HEADER_LENGTH), [1]],
    ['a key over 250 bytes', response({ opcode: Opcode.GetK, extras: flags(0), key: 'k'.repeat(251), opaque: 1 }), [1]],
    ['extras and key longer than the body', response({ opcode: Opcode.GetK, extras: flags(0), key: 'k', opaque: 1, bodyLength: 3 }), [1]],
    ['a get hit without its flags', response({ opcode: Opcode.GetK, key: 'k', value: 'v', opaque: 1 }), [1]],
    ['an incr result that is not 8 bytes', response({ opcode: Opcode.Increment, value: '42', opaque: 1 }), [1]],
    ['an opcode this client never sends', response({ opcode: Opcode.Quit, opaque: 1 }), [1]],
  ];
  for (const [name, bytes, tags] of malformed) {
    test(`fails once, then ignores the rest, on ${name}`, () => {
      const { decoder, replies, failures } = recorder(tags);
      decoder.feed(bytes);
      decoder.feed(response({ opcode: Opcode.Set, opaque: tags[0] ?? 0 }));
      assert.equal(failures.length, 1, `failures for ${name}`);
      assert.equal(failures[0]!.code, 'BAD_REPLY');
      assert.deepEqual(replies, []);
    });
  }
});
