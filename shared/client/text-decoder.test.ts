// The text decoder: a transcript of every reply kind, fed whole, byte by byte and at random splits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextReplyDecoder } from './text-decoder.ts';
import type { ClientError } from './client-errors.ts';
import { ReplyShape, type Reply } from './reply.ts';

/** A sink that expects replies of the given shapes, in order, and records what it receives. */
function recorder(shapes: ReplyShape[]) {
  const queue = [...shapes];
  const replies: Reply[] = [];
  const failures: ClientError[] = [];
  const decoder = new TextReplyDecoder(
    {
      expectedShape: () => queue[0],
      expectedTag: () => (queue.length > 0 ? 0 : undefined),
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

const TRANSCRIPT = [
  ['STORED\r\n', ReplyShape.Line],
  ['VALUE k 5 4\r\n\r\n\r\n\r\nVALUE big 0 10 99\r\n0123456789\r\nEND\r\n', ReplyShape.Values],
  ['END\r\n', ReplyShape.Values],
  ['42\r\n', ReplyShape.Line],
  ['VERSION 1.6.18\r\n', ReplyShape.Line],
  ['STAT pid 1\r\nSTAT version 1.6.18 extra\r\nEND\r\n', ReplyShape.Stats],
  ['CLIENT_ERROR bad data chunk\r\n', ReplyShape.Line],
  ['ERROR\r\n', ReplyShape.Values],
  ['NOT_FOUND\r\n', ReplyShape.Line],
] as const;
const BYTES = Buffer.from(TRANSCRIPT.map(([text]) => text).join(''), 'latin1');
const SHAPES = TRANSCRIPT.map(([, shape]) => shape);

function checkTranscript(replies: Reply[]) {
  assert.equal(replies.length, TRANSCRIPT.length);
  assert.deepEqual(replies[0], { kind: 'status', status: 'STORED' });
  assert.deepEqual(replies[1], {
    kind: 'values',
    items: [
      { key: 'k', flags: 5, value: Buffer.from('\r\n\r\n') },
      { key: 'big', flags: 0, value: Buffer.from('0123456789'), cas: 99n },
    ],
  });
  assert.deepEqual(replies[2], { kind: 'values', items: [] });
  assert.deepEqual(replies[3], { kind: 'number', value: 42n });
  assert.deepEqual(replies[4], { kind: 'version', version: '1.6.18' });
  assert.deepEqual(replies[5], { kind: 'stats', stats: new Map([['pid', '1'], ['version', '1.6.18 extra']]) });
  assert.deepEqual(replies[6], { kind: 'error', type: 'CLIENT_ERROR', message: 'bad data chunk', code: 'BAD_DATA_CHUNK' });
  assert.deepEqual(replies[7], { kind: 'error', type: 'ERROR', message: '', code: 'UNKNOWN_COMMAND' });
  assert.deepEqual(replies[8], { kind: 'status', status: 'NOT_FOUND' });
}

describe('text decoder', { timeout: 20_000 }, () => {
  test('decodes a transcript fed in one chunk', () => {
    const { decoder, replies, failures } = recorder(SHAPES);
    decoder.feed(BYTES);
    assert.deepEqual(failures, []);
    checkTranscript(replies);
  });

  test('decodes the same transcript fed one byte at a time', () => {
    const { decoder, replies, failures } = recorder(SHAPES);
    for (let i = 0; i < BYTES.length; i++) decoder.feed(BYTES.subarray(i, i + 1));
    assert.deepEqual(failures, []);
    checkTranscript(replies);
  });

  test('decodes the same transcript split at random points', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: BYTES.length - 1 }), { maxLength: 20 }), (cuts) => {
        const { decoder, replies, failures } = recorder(SHAPES);
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

  test('an error line in the middle of a get ends that reply and drops its partial items', () => {
    const { decoder, replies } = recorder([ReplyShape.Values, ReplyShape.Line]);
    decoder.feed(Buffer.from('VALUE a 0 1\r\nx\r\nSERVER_ERROR out of memory writing get response\r\nSTORED\r\n'));
    assert.deepEqual(replies[0], { kind: 'error', type: 'SERVER_ERROR', message: 'out of memory writing get response', code: undefined });
    assert.deepEqual(replies[1], { kind: 'status', status: 'STORED' });
  });

  test('an error line with no request waiting fails as SERVER_REPLY, keeping the reply', () => {
    const { decoder, failures } = recorder([]);
    decoder.feed(Buffer.from('ERROR Too many open connections\r\n'));
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.code, 'SERVER_REPLY');
    assert.deepEqual(failures[0]!.reply, { kind: 'error', type: 'ERROR', message: 'Too many open connections', code: 'TOO_MANY_CONNECTIONS' });
  });

  const malformed: [string, string, ReplyShape[]][] = [
    ['a line without CR', 'STORED\n', [ReplyShape.Line]],
    ['an unknown single line', 'MAYBE\r\n', [ReplyShape.Line]],
    ['a reply nobody asked for', 'STORED\r\n', []],
    ['a VALUE line with a bad length', 'VALUE k 0 x\r\n', [ReplyShape.Values]],
    ['a VALUE line with flags over 32 bits', 'VALUE k 4294967296 1\r\n', [ReplyShape.Values]],
    ['a data block not ended by CRLF', 'VALUE k 0 1\r\nxyz\r\nEND\r\n', [ReplyShape.Values]],
    ['a value over the limit', 'VALUE k 0 1025\r\n', [ReplyShape.Values]],
    ['a line over the limit', 'S'.repeat(5000), [ReplyShape.Line]],
    ['a STAT line in a get reply', 'STAT a b\r\n', [ReplyShape.Values]],
  ];
  for (const [name, text, shapes] of malformed) {
    test(`fails once, then ignores the rest, on ${name}`, () => {
      const { decoder, replies, failures } = recorder(shapes);
      decoder.feed(Buffer.from(text, 'latin1'));
      decoder.feed(Buffer.from('STORED\r\n'));
      assert.equal(failures.length, 1, `failures for ${JSON.stringify(text)}`);
      assert.equal(failures[0]!.code, 'BAD_REPLY');
      assert.deepEqual(replies, []);
    });
  }
});
