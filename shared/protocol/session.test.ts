/**
 * Fault isolation in a session: a request that throws while executing gets the protocol's
 * internal error — its half-written reply dropped — and the requests around it are served as if
 * nothing happened. The store here fails on purpose for one key.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedStore } from '../store/shared-store.ts';
import type { Store } from '../store/store.ts';
import { createSession, Step, type Session } from './session.ts';
import { fakeServer } from './binary/test/harness.ts';
import { MAGIC_REQUEST, Opcode, Status } from './binary/constants.ts';
import { encodeRequest } from './binary/request-encoder.ts';
import { splitResponses } from './binary/response-decoder.ts';

/** The key whose lookup throws, as a store bug or a failing disk would. */
const CURSED = 'cursed';

/** A real store whose `get` throws for {@link CURSED}. */
function failingStore(): Store {
  const store = SharedStore.create({ memoryBytes: 1024 * 1024 });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'get') {
        return (key: string) => {
          if (key === CURSED) throw new Error('the store failed');
          return target.get(key);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Feeds `input` and steps until the session needs more; returns the replies and the faults reported. */
function run(firstByte: number, input: Buffer): { replies: Buffer; faults: unknown[]; session: Session } {
  const faults: unknown[] = [];
  const store = failingStore();
  const session = createSession(firstByte, { store, server: fakeServer(), maxItemSize: store.maxItemSize, onFault: (error) => faults.push(error) });
  session.feed(input);
  let steps = 0;
  while (session.step() !== Step.NeedMore) assert.ok(++steps < 100, 'the session never ran out of requests');
  return { replies: Buffer.concat(session.out.take()), faults, session };
}

describe('a request that throws costs one error reply', () => {
  test('text: SERVER_ERROR for it, its partial VALUE lines dropped, the next request served', () => {
    const input = Buffer.from(`set ok 0 0 1\r\nx\r\nget ok ${CURSED}\r\nget ok\r\n`, 'latin1');
    const { replies, faults } = run(input[0]!, input);
    assert.equal(replies.toString('latin1'), 'STORED\r\nSERVER_ERROR internal error\r\nVALUE ok 0 1\r\nx\r\nEND\r\n');
    assert.equal(faults.length, 1);
    assert.match(String(faults[0]), /the store failed/);
  });

  test('binary: Internal error (0x84) with the request\'s opcode and opaque, then the next request', () => {
    const input = Buffer.concat([
      encodeRequest({ opcode: Opcode.GetQ, key: CURSED, opaque: 7 }),
      encodeRequest({ opcode: Opcode.Noop, opaque: 8 }),
    ]);
    assert.equal(input[0], MAGIC_REQUEST);
    const { replies, faults } = run(input[0], input);
    const { responses, rest } = splitResponses(replies);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      responses.map((r) => ({ opcode: r.opcode, status: r.status, opaque: r.opaque })),
      [
        { opcode: Opcode.GetQ, status: Status.InternalError, opaque: 7 },
        { opcode: Opcode.Noop, status: Status.Success, opaque: 8 },
      ],
    );
    assert.equal(faults.length, 1);
  });
});
