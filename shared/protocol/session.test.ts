/**
 * Fault isolation in a session: a request that throws while executing gets the protocol's
 * internal error — its half-written reply dropped — and the requests around it are served as if
 * nothing happened. The store here fails on purpose for one key.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedStore } from '../store/shared-store.ts';
import type { HitSink, Store } from '../store/store.ts';
import { createSession, Step, type Session } from './session.ts';
import { fakeServer } from './binary/test/harness.ts';
import { MAGIC_REQUEST, Opcode, Status } from './binary/constants.ts';
import { encodeRequest } from './binary/request-encoder.ts';
import { splitResponses } from './binary/response-decoder.ts';
import type { CommandFamily, Outcome, Protocol, RequestObserver } from './request-observer.ts';

/** The key whose lookup throws, as a store bug or a failing disk would. */
const CURSED = 'cursed';

/** A real store whose lookups — `get`, and the fast path's `getInto` — throw for {@link CURSED}. */
function failingStore(): Store {
  const store = SharedStore.create({ memoryBytes: 1024 * 1024 });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'get' || property === 'getInto') {
        return (key: string, sink: HitSink) => {
          if (key === CURSED) throw new Error('the store failed');
          return property === 'get' ? target.get(key) : target.getInto(key, sink);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Feeds `input` and steps until the session needs more; returns the replies and the faults reported. */
function run(firstByte: number, input: Buffer, observer?: RequestObserver): { replies: Buffer; faults: unknown[]; session: Session } {
  const faults: unknown[] = [];
  const store = failingStore();
  const session = createSession(firstByte, {
    store, server: fakeServer(), maxItemSize: store.maxItemSize, onFault: (error) => faults.push(error), observer,
  });
  session.feed(input);
  let steps = 0;
  while (session.step() !== Step.NeedMore) assert.ok(++steps < 100, 'the session never ran out of requests');
  return { replies: Buffer.concat(session.out.take()), faults, session };
}

describe('a request that throws costs one error reply', () => {
  test('text: SERVER_ERROR for it, its partial VALUE lines dropped, the next request served', () => {
    const input = Buffer.from(`set ok 0 0 1\r\nx\r\nget ok ${CURSED}\r\nget ok\r\n`, 'latin1');
    const { replies, faults } = run(input.readUInt8(0), input);
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
    const { replies, faults } = run(input.readUInt8(0), input);
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

describe('the request observer', () => {
  /** Records what it is told. */
  function recorder(): { seen: [CommandFamily, Protocol, Outcome][]; durations: number[]; observer: RequestObserver } {
    const seen: [CommandFamily, Protocol, Outcome][] = [];
    const durations: number[] = [];
    return {
      seen, durations,
      observer: { observe: (family, protocol, outcome, nanoseconds) => { seen.push([family, protocol, outcome]); durations.push(nanoseconds); } },
    };
  }

  test('text: one call per request, with its family and outcome and a duration', () => {
    const { seen, durations, observer } = recorder();
    const input = Buffer.from(`set a 0 0 1\r\nx\r\nget a\r\nGET a\r\nget ${CURSED}\r\nincr a 1\r\nmn\r\n`, 'latin1');
    run(input.readUInt8(0), input, observer);
    assert.deepEqual(seen, [
      ['set', 'text', 'ok'], ['get', 'text', 'ok'], ['other', 'text', 'error'], ['get', 'text', 'fault'], ['incr', 'text', 'ok'], ['mn', 'text', 'ok'],
    ]);
    for (const nanoseconds of durations) assert.ok(nanoseconds >= 0 && nanoseconds < 10e9, `a duration of ${nanoseconds} ns`);
  });

  test('binary: quiet opcodes count as their loud twins', () => {
    const { seen, observer } = recorder();
    const input = Buffer.concat([
      encodeRequest({ opcode: Opcode.GetKQ, key: 'a' }),
      encodeRequest({ opcode: Opcode.Noop }),
    ]);
    run(input.readUInt8(0), input, observer);
    assert.deepEqual(seen, [['get', 'binary', 'ok'], ['noop', 'binary', 'ok']]);
  });
});
