/**
 * The client-side helpers: encodeRequest writes the header a client means (overrides included),
 * and splitResponses keeps an incomplete packet for later and refuses a stream out of step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Opcode, Status } from '../constants.ts';
import { BinaryReply } from '../binary-reply.ts';
import { encodeRequest } from '../request-encoder.ts';
import { splitResponses } from '../response-decoder.ts';

const T = { timeout: 5_000 };

test('encodeRequest lays out the 24-byte header, big-endian, with a u64 CAS', T, () => {
  const packet = encodeRequest({ opcode: Opcode.Set, opaque: 0x01020304, cas: 2n ** 63n + 5n, extras: Buffer.alloc(8), key: 'ab', value: 'xyz' });
  assert.equal(packet.toString('hex', 0, 24), '80010002080000000000000d01020304' + '8000000000000005');
  assert.equal(packet.length, 24 + 8 + 2 + 3);
  const lying = encodeRequest({ opcode: Opcode.Get, key: 'k', magic: 0x81, keyLength: 9, extrasLength: 3, bodyLength: 1000 });
  assert.equal(lying.toString('hex', 0, 12), '810000090300000000' + '0003e8');
});

test('splitResponses returns complete packets and leaves a partial one for the next call', T, () => {
  const reply = new BinaryReply();
  reply.success(Opcode.Noop, 1, 0n);
  reply.error(Opcode.Get, 2, Status.KeyNotFound);
  const bytes = Buffer.concat(reply.take());
  const partial = splitResponses(bytes.subarray(0, 30));
  assert.equal(partial.responses.length, 1);
  assert.equal(partial.rest.length, 6);
  const whole = splitResponses(Buffer.concat([partial.rest, bytes.subarray(30)]));
  assert.equal(whole.responses[0]?.value.toString(), 'Not found');
  assert.equal(whole.rest.length, 0);
});

test('splitResponses refuses bytes that do not start with the response magic', T, () => {
  assert.throws(() => splitResponses(encodeRequest({ opcode: Opcode.Noop })), /bad response magic 0x80/);
});
