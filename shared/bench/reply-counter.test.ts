// The load generator's byte-scanning reply counters, over both protocols: every reply of a stream
// counted once with its outcome, however the stream is split — whole, at every byte, byte by byte.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HEADER_LENGTH, Header, MAGIC_RESPONSE, Opcode, Status } from '../protocol/binary/constants.ts';
import { BinaryReplyCounter, ReplyOutcome, TextReplyCounter, type ReplyCounter, type ReplySink } from './reply-counter.ts';

const { Hit, Miss, Ok, Error: Err } = ReplyOutcome;
const NAMES = ['Hit', 'Miss', 'Ok', 'Error'];

/** Collects outcomes as names, so a failure prints a readable list. */
class Outcomes implements ReplySink {
  readonly seen: string[] = [];
  onReply(outcome: ReplyOutcome): void {
    this.seen.push(NAMES[outcome]!);
  }
}

/** Feeds `stream` in the pieces that `cuts` (sorted offsets) make, and returns the outcomes. */
function countIn(make: (sink: ReplySink) => ReplyCounter, stream: Buffer, cuts: readonly number[]): string[] {
  const sink = new Outcomes();
  const counter = make(sink);
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    // Each piece in its own buffer, at a non-zero offset, as the counter would see a socket read.
    const piece = Buffer.concat([Buffer.from('pad'), stream.subarray(from, cut)]);
    counter.feed(piece, 3, piece.length);
    from = cut;
  }
  assert.equal(counter.broken, false);
  return sink.seen;
}

/** Asserts the same outcomes whole, split at every single byte, and byte by byte. */
function assertEverySplit(make: (sink: ReplySink) => ReplyCounter, stream: Buffer, expected: readonly ReplyOutcome[]): void {
  const names = expected.map((outcome) => NAMES[outcome]!);
  assert.deepEqual(countIn(make, stream, []), names, 'whole');
  for (let cut = 1; cut < stream.length; cut++) assert.deepEqual(countIn(make, stream, [cut]), names, `split at byte ${cut}`);
  assert.deepEqual(countIn(make, stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1)), names, 'byte by byte');
}

const text = (sink: ReplySink) => new TextReplyCounter(sink);
const binary = (sink: ReplySink) => new BinaryReplyCounter(sink);

/** One binary response: header with `opcode`, `status`, and a body of extras + key + value. */
function response(opcode: number, status: number, body: string): Buffer {
  const packet = Buffer.alloc(HEADER_LENGTH + body.length);
  packet[Header.MAGIC] = MAGIC_RESPONSE;
  packet[Header.OPCODE] = opcode;
  packet.writeUInt16BE(status, Header.STATUS);
  packet.writeUInt32BE(body.length, Header.BODY_LENGTH);
  packet.write(body, HEADER_LENGTH, 'latin1');
  return packet;
}

describe('reply counter', { timeout: 20_000 }, () => {
  test('text: get replies end at END, data blocks are skipped by their length, errors are told apart', () => {
    const stream = Buffer.from([
      'STORED\r\n',
      // A value that looks like replies: only its declared length says where it ends.
      'VALUE kvlab:00000001 0 12\r\nEND\r\nSTORED\r\n\r\nEND\r\n',
      'END\r\n',
      // gets form, with a cas field after the length; two values in one reply.
      'VALUE a 5 3 77\r\nabc\r\nVALUE b 0 0 78\r\n\r\nEND\r\n',
      'SERVER_ERROR out of memory storing object\r\n',
      'CLIENT_ERROR bad data chunk\r\n',
      'ERROR\r\n',
      'NOT_STORED\r\n',
      // memcached accepts a bare LF as a line end.
      'EXISTS\nEND\n',
    ].join(''));
    assertEverySplit(text, stream, [Ok, Hit, Miss, Hit, Err, Err, Err, Ok, Ok, Miss]);
  });

  test('text: a byte count no server could send stops the counting', () => {
    const sink = new Outcomes();
    const counter = new TextReplyCounter(sink);
    const bytes = Buffer.from('VALUE k 0 99999999999\r\n');
    counter.feed(bytes, 0, bytes.length);
    assert.equal(counter.broken, true);
    assert.deepEqual(sink.seen, []);
  });

  test('binary: each response is a header and its body; status and opcode give the outcome', () => {
    const stream = Buffer.concat([
      response(Opcode.GetK, Status.Success, '\0\0\0\0kvlab:00000001value'),
      response(Opcode.GetK, Status.KeyNotFound, 'Not found'),
      response(Opcode.Set, Status.Success, ''),
      response(Opcode.Set, Status.TooLarge, 'Too large.'),
      response(Opcode.Get, Status.Success, '\0\0\0\0v'),
      // A body that holds a response header of its own is still skipped by length.
      response(Opcode.GetK, Status.Success, `\0\0\0\0k${response(Opcode.Set, Status.Success, '').toString('latin1')}`),
    ]);
    assertEverySplit(binary, stream, [Hit, Miss, Ok, Err, Hit, Hit]);
  });

  test('binary: a packet without the response magic stops the counting', () => {
    const sink = new Outcomes();
    const counter = new BinaryReplyCounter(sink);
    const bytes = response(Opcode.Set, Status.Success, '');
    bytes[Header.MAGIC] = 0x80;
    counter.feed(bytes, 0, bytes.length);
    assert.equal(counter.broken, true);
    assert.deepEqual(sink.seen, []);
  });
});
