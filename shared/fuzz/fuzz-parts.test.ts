/**
 * The fuzzer's parts on their own: the same seed gives the same sessions, mutants stay bounded,
 * no frame erases the canary, and the sync models know what a server may still wait for.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BinaryWalker, sealBinaryStream } from './binary-sync.ts';
import { BYTE_MUTATORS, MAX_MUTANT_LENGTH, mutate } from './byte-mutators.ts';
import { Draw } from './draw.ts';
import { fuzzProtocol } from './fuzz-protocol.ts';
import { SessionPlanner } from './session-plan.ts';
import { MAX_SYNC_PADDING } from './session-seal.ts';
import { textPendingBytes } from './text-sync.ts';
import { HEADER_LENGTH, Opcode } from '../protocol/binary/constants.ts';
import { encodeRequest, storeExtras } from '../protocol/binary/request-encoder.ts';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('sessions', () => {
  for (const name of ['text', 'binary'] as const) {
    test(`${name}: the same seed plans the same sessions, and replaying one finds it`, () => {
      const plan = () => new SessionPlanner(42, 2000, fuzzProtocol(name, 'sync-value'));
      const first = plan();
      const second = plan();
      const sessions = [];
      let total = 0;
      for (let session = first.next(); session !== null; session = first.next()) {
        const again = second.next()!;
        assert.deepEqual(again.stream, session.stream);
        assert.deepEqual(again.cuts, session.cuts);
        sessions.push(session);
        total += session.frames;
      }
      assert.equal(total, 2000, 'the frame budget is spent exactly');
      const picked = sessions[Math.floor(sessions.length / 2)]!;
      assert.deepEqual(plan().seek(picked.index)!.stream, picked.stream);
      assert.ok(sessions.some((s) => s.ending === 'disconnect') && sessions.some((s) => s.ending === 'sync'));
    });
  }

  test('binary sessions start with the request magic and never carry a Flush', () => {
    const planner = new SessionPlanner(7, 5000, fuzzProtocol('binary', 'x'));
    for (let session = planner.next(); session !== null; session = planner.next()) {
      if (session.stream.length > 0) assert.equal(session.stream[0], 0x80);
      const walker = new BinaryWalker();
      const copy = Buffer.from(session.stream);
      walker.feed(copy);
      assert.deepEqual(copy, session.stream, `session ${session.index} still holds a Flush`);
    }
  });
});

describe('mutators', () => {
  test('each mutator returns a new buffer and leaves its input alone', () => {
    const draw = new Draw(1);
    const frame = latin1('set fz:1 0 0 5\r\nhello\r\n');
    for (const [name, mutator] of Object.entries(BYTE_MUTATORS)) {
      const before = Buffer.from(frame);
      mutator(frame, draw);
      assert.deepEqual(frame, before, name);
    }
  });

  test('mutants stay under the cap', () => {
    const draw = new Draw(2);
    for (let i = 0; i < 2000; i++) assert.ok(mutate(Buffer.alloc(1000, 0x61), draw).length <= MAX_MUTANT_LENGTH);
  });
});

describe('text sync model', () => {
  test('a finished command leaves nothing pending', () => {
    assert.equal(textPendingBytes(latin1('get a\r\nset k 0 0 5\r\nhello\r\n')), 0);
  });
  test('a data block in progress: what is left of it, with its CRLF', () => {
    assert.equal(textPendingBytes(latin1('set k 0 0 10\r\nabc')), 9);
  });
  test('an unfinished storage line: the newline that ends it, the block and its CRLF', () => {
    assert.equal(textPendingBytes(latin1('set k 0 0 10')), 13);
  });
  test('a length past the padding limit cannot be synced', () => {
    assert.equal(textPendingBytes(latin1(`set k 0 0 ${MAX_SYNC_PADDING + 1}\r\n`)), null);
  });
  test('a rejected line lets its data be read as commands, and both readings are covered', () => {
    // If the server rejected "set" (bad flags), "set k 0 0 20" inside the data is a new command.
    assert.equal(textPendingBytes(latin1('set k x 0 14\r\nset k 0 0 20\r\n')), 22);
  });
});

describe('binary sync model', () => {
  const set = encodeRequest({ opcode: Opcode.Set, key: 'k', value: 'hello', extras: storeExtras(0, 0) });
  test('a frame cut in its body: the rest of the body is padded, then the probe', () => {
    const sealed = sealBinaryStream(set.subarray(0, set.length - 2), 0xabcd);
    assert.equal(sealed.sync!.length, 2 + HEADER_LENGTH);
  });
  test('a frame cut in its header after the body length: zeros complete it, and its body follows', () => {
    const walker = new BinaryWalker();
    walker.feed(Buffer.from(set.subarray(0, 12)));
    assert.equal(walker.pending, set.length - 12);
  });
  test('an absurd body length cannot be synced', () => {
    const sealed = sealBinaryStream(encodeRequest({ opcode: Opcode.Set, key: 'k', extras: storeExtras(0, 0), bodyLength: 0xffffffff }), 1);
    assert.equal(sealed.sync, null);
  });
  test('a Flush is rewritten to a Noop, even when a header is split between frames', () => {
    const flush = encodeRequest({ opcode: Opcode.Flush });
    const walker = new BinaryWalker();
    const head = Buffer.from(flush.subarray(0, 1));
    const tail = Buffer.from(flush.subarray(1));
    walker.feed(head);
    walker.feed(tail);
    assert.equal(tail[0], Opcode.Noop);
  });
  test('a header whose key and extras do not fit its body closes, after the prefix memcached reads', () => {
    const walker = new BinaryWalker();
    walker.feed(encodeRequest({ opcode: Opcode.Get, key: 'abcd', extrasLength: 100 }));
    assert.equal(walker.closes, true);
    assert.equal(walker.pending, 100);
  });
});
