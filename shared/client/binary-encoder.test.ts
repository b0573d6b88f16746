// The binary encoder: each command's packets field by field, one opaque per request, and refusal
// of anything the protocol cannot carry.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAGIC_REQUEST, NO_CREATE_EXPTIME, Opcode } from '../protocol/binary/constants.ts';
import { encodeBinary } from './binary-encoder.ts';
import { ClientError } from './client-errors.ts';
import type { Request } from './request.ts';
import { packets, type Packet } from './test/binary-packets.ts';

const only = (request: Request): Packet => {
  const found = packets(encodeBinary(request));
  assert.equal(found.length, 1, 'one packet');
  return found[0]!;
};
const u32s = (extras: Buffer) => Array.from({ length: extras.length / 4 }, (_, i) => extras.readUInt32BE(i * 4));
const rejects = (request: Request) =>
  assert.throws(() => encodeBinary(request), (error: unknown) => error instanceof ClientError && error.code === 'BAD_REQUEST');

describe('binary encoder', { timeout: 5000 }, () => {
  test('a set carries flags and exptime in its extras, then the key and the value', () => {
    const set = only({ op: 'set', key: 'k', value: Buffer.from('v\r\n'), flags: 7, exptime: 60 });
    assert.deepEqual([set.magic, set.opcode, set.key, set.value.toString(), set.cas], [MAGIC_REQUEST, Opcode.Set, 'k', 'v\r\n', 0n]);
    assert.deepEqual(u32s(set.extras), [7, 60]);
    assert.equal(only({ op: 'add', key: 'k', value: Buffer.from('x') }).opcode, Opcode.Add);
    assert.equal(only({ op: 'replace', key: 'k', value: Buffer.from('x') }).opcode, Opcode.Replace);
  });

  test('append and prepend carry no extras; cas is a Set with the token in the header', () => {
    const append = only({ op: 'append', key: 'k', value: Buffer.from('x') });
    assert.deepEqual([append.opcode, append.extras.length], [Opcode.Append, 0]);
    assert.equal(only({ op: 'prepend', key: 'k', value: Buffer.from('x') }).opcode, Opcode.Prepend);
    const cas = only({ op: 'cas', key: 'k', value: Buffer.from('x'), cas: 2n ** 64n - 1n });
    assert.deepEqual([cas.opcode, cas.cas], [Opcode.Set, 2n ** 64n - 1n]);
  });

  test('one key is a GetK; several are quiet GetKQs closed by a Noop, all with one opaque', () => {
    assert.deepEqual([only({ op: 'get', keys: ['a'] }).opcode, only({ op: 'gets', keys: ['a'] }).opcode], [Opcode.GetK, Opcode.GetK]);
    const multi = packets(encodeBinary({ op: 'get', keys: ['a', 'b'] }));
    assert.deepEqual(multi.map((p) => [p.opcode, p.key]), [[Opcode.GetKQ, 'a'], [Opcode.GetKQ, 'b'], [Opcode.Noop, '']]);
    assert.equal(new Set(multi.map((p) => p.opaque)).size, 1);
  });

  test('incr and decr never create a missing key, so a miss is NOT_FOUND as in text', () => {
    const incr = only({ op: 'incr', key: 'n', delta: 2n ** 64n - 1n });
    assert.equal(incr.opcode, Opcode.Increment);
    assert.equal(incr.extras.readBigUInt64BE(0), 2n ** 64n - 1n);
    assert.equal(incr.extras.readUInt32BE(16), NO_CREATE_EXPTIME);
    assert.equal(only({ op: 'decr', key: 'n', delta: 1n }).opcode, Opcode.Decrement);
  });

  test('the other commands', () => {
    assert.deepEqual([only({ op: 'delete', key: 'k' }).opcode, only({ op: 'version' }).opcode], [Opcode.Delete, Opcode.Version]);
    const touch = only({ op: 'touch', key: 'k', exptime: 10 });
    assert.deepEqual([touch.opcode, u32s(touch.extras)], [Opcode.Touch, [10]]);
    assert.deepEqual(u32s(only({ op: 'flush_all' }).extras), []);
    assert.deepEqual(u32s(only({ op: 'flush_all', delay: 5 }).extras), [5]);
    assert.deepEqual([only({ op: 'stats' }).key, only({ op: 'stats', group: 'items' }).key], ['', 'items']);
  });

  test('a negative exptime becomes a Unix time long past, so the item expires at once', () => {
    assert.deepEqual(u32s(only({ op: 'set', key: 'k', value: Buffer.from('x'), exptime: -1 }).extras), [0, 2_592_001]);
  });

  test('every request gets the next opaque', () => {
    const first = only({ op: 'version' }).opaque;
    assert.equal(only({ op: 'version' }).opaque, (first + 1) >>> 0);
  });

  test('refuses what the protocol cannot carry, and keys the text protocol could not send either', () => {
    rejects({ op: 'get', keys: [] });
    rejects({ op: 'get', keys: ['bad key'] });
    rejects({ op: 'set', key: 'x'.repeat(251), value: Buffer.from('x') });
    rejects({ op: 'set', key: 'k', value: Buffer.from('x'), flags: 2 ** 32 });
    rejects({ op: 'set', key: 'k', value: Buffer.from('x'), exptime: 2 ** 32 });
    rejects({ op: 'set', key: 'k', value: Buffer.from('x'), exptime: 1.5 });
    rejects({ op: 'cas', key: 'k', value: Buffer.from('x'), cas: 0n });
    rejects({ op: 'incr', key: 'k', delta: -1n });
    rejects({ op: 'incr', key: 'k', delta: 2n ** 64n });
    rejects({ op: 'flush_all', delay: -1 });
  });
});
