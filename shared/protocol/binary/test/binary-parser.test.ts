/**
 * The binary request parser: fields decoded, byte-by-byte and random-split feeding, views versus
 * copies, and every malformed header with the outcome memcached 1.6.18 has for it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BinaryParser } from '../binary-parser.ts';
import type { BinaryFrame } from '../binary-request.ts';
import { Opcode } from '../constants.ts';
import { arithmeticExtras, encodeRequest, exptimeExtras, storeExtras, type RequestFields } from '../request-encoder.ts';

const LIMIT = 1024 * 1024;
const T = { timeout: 10_000 };

/** Feeds `chunks` one by one, pulling every frame after each. */
function parseAll(chunks: readonly Buffer[], maxItemSize = LIMIT): { frames: BinaryFrame[]; parser: BinaryParser } {
  const parser = new BinaryParser({ maxItemSize });
  const frames: BinaryFrame[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let frame = parser.next(); frame !== undefined; frame = parser.next()) frames.push(frame);
  }
  return { frames, parser };
}

/** A frame with its value as text, so deepEqual compares contents and reports them readably. */
function plain(frame: BinaryFrame): object {
  return frame.kind === 'request' ? { ...frame, value: frame.value.toString('latin1') } : frame;
}

function bytewise(bytes: Buffer): Buffer[] {
  return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
}

/** One request of every shape the parser accepts. */
const SAMPLES: RequestFields[] = [
  { opcode: Opcode.Get, key: 'alpha', opaque: 1 },
  { opcode: Opcode.GetKQ, key: 'beta', opaque: 2 },
  { opcode: Opcode.Set, key: 'k', extras: storeExtras(0xdeadbeef, 3600), value: 'hello', opaque: 3, cas: 2n ** 40n + 5n },
  { opcode: Opcode.AddQ, key: 'empty', extras: storeExtras(0, 0), value: '', opaque: 4 },
  { opcode: Opcode.Append, key: 'k', value: ' world', opaque: 5 },
  { opcode: Opcode.Delete, key: 'k', opaque: 6 },
  { opcode: Opcode.Increment, key: 'n', extras: arithmeticExtras(2n ** 64n - 1n, 10n, 0xffffffff), opaque: 7 },
  { opcode: Opcode.Flush, opaque: 8 },
  { opcode: Opcode.FlushQ, extras: exptimeExtras(30), opaque: 9 },
  { opcode: Opcode.Stat, opaque: 10 },
  { opcode: Opcode.Stat, key: 'settings', opaque: 11 },
  { opcode: Opcode.GATK, key: 'k', extras: exptimeExtras(100), opaque: 12 },
  { opcode: Opcode.Noop, opaque: 0xffffffff },
];

describe('BinaryParser: well-formed requests', () => {
  test('decodes header fields, extras, key and value', T, () => {
    const { frames } = parseAll([Buffer.concat(SAMPLES.map(encodeRequest))]);
    assert.equal(frames.length, SAMPLES.length);
    const set = frames[2];
    assert.ok(set?.kind === 'request');
    assert.equal(set.opcode, Opcode.Set);
    assert.equal(set.key, 'k');
    assert.equal(set.flags, 0xdeadbeef);
    assert.equal(set.exptime, 3600);
    assert.equal(set.cas, 2n ** 40n + 5n, 'a CAS above 2^32 survives');
    assert.equal(set.value.toString(), 'hello');
    const incr = frames[6];
    assert.ok(incr?.kind === 'request');
    assert.equal(incr.delta, 2n ** 64n - 1n);
    assert.equal(incr.initial, 10n);
    assert.equal(incr.exptime, 0xffffffff);
    const flushq = frames[8];
    assert.ok(flushq?.kind === 'request');
    assert.equal(flushq.exptime, 30);
    const noop = frames[12];
    assert.ok(noop?.kind === 'request');
    assert.equal(noop.opaque, 0xffffffff, 'the opaque is read unsigned');
  });

  test('reuseRequests: one request object, rewritten by each next(), with the fields a fresh one has', T, () => {
    const bytes = Buffer.concat(SAMPLES.map(encodeRequest));
    const expected = parseAll([bytes]).frames.map(plain);
    for (const chunks of [[bytes], bytewise(bytes)]) {
      const parser = new BinaryParser({ maxItemSize: LIMIT, reuseRequests: true });
      const seen: object[] = [];
      const objects = new Set<BinaryFrame>();
      for (const chunk of chunks) {
        parser.feed(chunk);
        // Each request is read before the next call, as a session does.
        for (let frame = parser.next(); frame !== undefined; frame = parser.next()) {
          seen.push(plain(frame));
          objects.add(frame);
        }
      }
      assert.deepEqual(seen, expected);
      assert.equal(objects.size, 1, 'every request was the same object');
    }
  });

  test('keys are latin1: every byte value survives', T, () => {
    const key = Buffer.from(Array.from({ length: 250 }, (_, i) => (i * 7 + 1) % 256));
    const { frames } = parseAll([encodeRequest({ opcode: Opcode.Get, key })]);
    assert.ok(frames[0]?.kind === 'request');
    assert.deepEqual(Buffer.from(frames[0].key, 'latin1'), key);
  });

  test('byte-by-byte feeding gives the same requests as one chunk', T, () => {
    const stream = Buffer.concat(SAMPLES.map(encodeRequest));
    const whole = parseAll([stream]).frames.map(plain);
    const { frames, parser } = parseAll(bytewise(stream));
    assert.deepEqual(frames.map(plain), whole);
    assert.equal(parser.bufferedBytes, 0);
  });

  test('random split points give the same requests (property)', { timeout: 30_000 }, () => {
    const request = fc.record({
      opcode: fc.constantFrom(Opcode.Get, Opcode.Set, Opcode.AppendQ, Opcode.Increment, Opcode.Noop, Opcode.Touch),
      key: fc.uint8Array({ minLength: 1, maxLength: 250 }),
      value: fc.uint8Array({ maxLength: 3000 }),
      opaque: fc.nat({ max: 0xffffffff }),
      cas: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    }).map(({ opcode, key, value, opaque, cas }): RequestFields => {
      switch (opcode) {
        case Opcode.Set: return { opcode, key, value, opaque, cas, extras: storeExtras(opaque, 0) };
        case Opcode.AppendQ: return { opcode, key, value, opaque, cas };
        case Opcode.Increment: return { opcode, key, opaque, extras: arithmeticExtras(cas, 1n, 0) };
        case Opcode.Touch: return { opcode, key, opaque, extras: exptimeExtras(opaque) };
        case Opcode.Noop: return { opcode, opaque };
        default: return { opcode, key, opaque };
      }
    });
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (requests, cuts) => {
        const stream = Buffer.concat(requests.map(encodeRequest));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const point of [...points, stream.length]) {
          chunks.push(stream.subarray(from, point));
          from = point;
        }
        const expected = parseAll([stream]).frames.map(plain);
        assert.equal(expected.length, requests.length);
        assert.deepEqual(parseAll(chunks).frames.map(plain), expected);
      }),
      { numRuns: 300 },
    );
  });

  test('the request CAS keeps all 64 bits (a double would round 2^53 + 1 to 2^53)', T, () => {
    for (const cas of [0n, 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const frame = parseAll([encodeRequest({ opcode: Opcode.Delete, key: 'k', cas })]).frames[0];
      assert.ok(frame?.kind === 'request');
      assert.equal(frame.cas, cas);
    }
  });

  test('a value inside one chunk is a view; a value across chunks is one copy', T, () => {
    const packet = encodeRequest({ opcode: Opcode.Set, key: 'k', extras: storeExtras(0, 0), value: 'x'.repeat(1000) });
    const one = parseAll([packet]).frames[0];
    assert.ok(one?.kind === 'request');
    assert.equal(one.value.buffer, packet.buffer, 'no copy when the value lies in one chunk');
    const split = parseAll([packet.subarray(0, 500), packet.subarray(500)]).frames[0];
    assert.ok(split?.kind === 'request');
    assert.notEqual(split.value.buffer, packet.buffer);
    assert.equal(split.value.toString(), 'x'.repeat(1000));
  });

  test('chunks fed before pulling are queued in order', T, () => {
    const parser = new BinaryParser({ maxItemSize: LIMIT });
    const stream = Buffer.concat(SAMPLES.map(encodeRequest));
    for (let i = 0; i < stream.length; i += 37) parser.feed(stream.subarray(i, i + 37));
    assert.equal(parser.bufferedBytes, stream.length);
    const frames: BinaryFrame[] = [];
    for (let frame = parser.next(); frame !== undefined; frame = parser.next()) frames.push(frame);
    assert.deepEqual(frames.map(plain), parseAll([stream]).frames.map(plain));
    assert.equal(parser.bufferedBytes, 0);
  });

  test('a declared body is never allocated before it arrives', T, () => {
    const parser = new BinaryParser({ maxItemSize: 64 * 1024 * 1024 });
    const declared = 32 * 1024 * 1024;
    const head = encodeRequest({ opcode: Opcode.Set, key: 'big', extras: storeExtras(0, 0), bodyLength: 8 + 3 + declared });
    parser.feed(head);
    parser.feed(Buffer.alloc(1000));
    assert.equal(parser.next(), undefined);
    assert.equal(parser.bufferedBytes, 1000, 'only the bytes that arrived are held');
  });
});

/** One malformed case: the bytes, the error expected, and whether the connection survives. */
interface Malformed {
  readonly name: string;
  readonly packet: Buffer;
  readonly code: string;
  readonly survives: boolean;
}

const MALFORMED: Malformed[] = [
  { name: 'response magic 0x81', packet: encodeRequest({ opcode: Opcode.Noop, magic: 0x81 }), code: 'BAD_MAGIC', survives: false },
  { name: 'magic 0x00', packet: encodeRequest({ opcode: Opcode.Noop, magic: 0 }), code: 'BAD_MAGIC', survives: false },
  { name: 'keylen > bodylen', packet: encodeRequest({ opcode: Opcode.Get, keyLength: 5, bodyLength: 3, value: 'abc' }), code: 'BODY_TOO_SHORT', survives: false },
  { name: 'extlen + keylen > bodylen', packet: encodeRequest({ opcode: Opcode.Set, extrasLength: 8, keyLength: 1, bodyLength: 5, value: 'abcde' }), code: 'BODY_TOO_SHORT', survives: false },
  { name: 'key of 251 bytes', packet: encodeRequest({ opcode: Opcode.Get, key: 'k'.repeat(251) }), code: 'KEY_TOO_LONG', survives: false },
  { name: 'key of 251 bytes and a short body: the body check comes first', packet: encodeRequest({ opcode: Opcode.Get, keyLength: 251, bodyLength: 3, value: 'abc' }), code: 'BODY_TOO_SHORT', survives: false },
  { name: 'key of 251 bytes on an unknown opcode', packet: encodeRequest({ opcode: 0x50, key: 'k'.repeat(251) }), code: 'KEY_TOO_LONG', survives: false },
  { name: 'Get with 4 bytes of extras', packet: encodeRequest({ opcode: Opcode.Get, key: 'k', extras: Buffer.alloc(4) }), code: 'BAD_SHAPE', survives: false },
  { name: 'Set without extras', packet: encodeRequest({ opcode: Opcode.Set, key: 'k', value: 'v' }), code: 'BAD_SHAPE', survives: false },
  { name: 'Increment with 8 bytes of extras', packet: encodeRequest({ opcode: Opcode.Increment, key: 'k', extras: Buffer.alloc(8) }), code: 'BAD_SHAPE', survives: false },
  { name: 'Flush with 8 bytes of extras', packet: encodeRequest({ opcode: Opcode.Flush, extras: Buffer.alloc(8) }), code: 'BAD_SHAPE', survives: false },
  { name: 'Get without a key', packet: encodeRequest({ opcode: Opcode.Get }), code: 'BAD_SHAPE', survives: false },
  { name: 'Get with a value', packet: encodeRequest({ opcode: Opcode.Get, key: 'k', value: 'v' }), code: 'BAD_SHAPE', survives: false },
  { name: 'Noop with a key', packet: encodeRequest({ opcode: Opcode.Noop, key: 'k' }), code: 'BAD_SHAPE', survives: false },
  { name: 'Stat with a value', packet: encodeRequest({ opcode: Opcode.Stat, key: 'k', value: 'v' }), code: 'BAD_SHAPE', survives: false },
  { name: 'Touch with a value', packet: encodeRequest({ opcode: Opcode.Touch, key: 'k', extras: exptimeExtras(1), value: 'v' }), code: 'BAD_SHAPE', survives: false },
  { name: 'absurd bodylen on Noop', packet: encodeRequest({ opcode: Opcode.Noop, bodyLength: 0x7fffffff }), code: 'BAD_SHAPE', survives: false },
  { name: 'absurd bodylen on Get', packet: encodeRequest({ opcode: Opcode.Get, key: 'k', bodyLength: 100_000_000 }), code: 'BAD_SHAPE', survives: false },
  { name: 'unknown opcode 0x50 with extras, key and value', packet: encodeRequest({ opcode: 0x50, extras: Buffer.alloc(4), key: 'abc', value: 'xyz' }), code: 'UNKNOWN_OPCODE', survives: true },
  { name: 'Verbosity (0x1b), which memcached 1.6 does not serve', packet: encodeRequest({ opcode: 0x1b, extras: Buffer.alloc(4) }), code: 'UNKNOWN_OPCODE', survives: true },
  { name: 'Set of a value over the item size limit', packet: encodeRequest({ opcode: Opcode.Set, key: 'big', extras: storeExtras(0, 0), value: Buffer.alloc(LIMIT) }), code: 'TOO_LARGE', survives: true },
];

describe('BinaryParser: malformed headers', () => {
  const noop = encodeRequest({ opcode: Opcode.Noop, opaque: 77 });
  for (const { name, packet, code, survives } of MALFORMED) {
    test(`${name} → ${code}, ${survives ? 'connection lives' : 'connection closes'}`, T, () => {
      for (const chunks of [[Buffer.concat([packet, noop])], bytewise(Buffer.concat([packet, noop]))]) {
        const { frames, parser } = parseAll(chunks);
        const [error, next] = frames;
        assert.ok(error?.kind === 'error', `expected an error, got ${JSON.stringify(error)}`);
        assert.equal(error.code, code);
        assert.equal(error.opcode, packet[1]);
        if (survives) {
          assert.ok(next?.kind === 'request' && next.opcode === Opcode.Noop && next.opaque === 77, 'the stream stays in step');
          assert.equal(parser.closed, false);
        } else {
          assert.equal(frames.length, 1, 'nothing is parsed after a closing error');
          assert.equal(parser.closed, true);
          assert.equal(parser.bufferedBytes, 0);
        }
      }
    });
  }

  test('a too-large value is skipped as it arrives, never buffered, and its key is reported', T, () => {
    const parser = new BinaryParser({ maxItemSize: LIMIT });
    const value = 3 * LIMIT;
    parser.feed(encodeRequest({ opcode: Opcode.SetQ, key: 'huge', extras: storeExtras(0, 0), opaque: 9, bodyLength: 8 + 4 + value }));
    const error = parser.next();
    assert.ok(error?.kind === 'error');
    assert.deepEqual(error, { kind: 'error', code: 'TOO_LARGE', opcode: Opcode.SetQ, opaque: 9, key: 'huge' });
    const piece = Buffer.alloc(64 * 1024);
    for (let sent = 0; sent < value; sent += piece.length) {
      parser.feed(piece);
      assert.equal(parser.next(), undefined);
      assert.ok(parser.bufferedBytes <= piece.length);
    }
    parser.feed(encodeRequest({ opcode: Opcode.Noop, opaque: 10 }));
    assert.deepEqual(plain(parser.next()!), plain(parseAll([encodeRequest({ opcode: Opcode.Noop, opaque: 10 })]).frames[0]!));
  });

  test('the largest value that fits is parsed, one byte more is too large', T, () => {
    // itemTotalSize: 56 bytes of header, the key and a NUL, the value and CRLF.
    const fits = LIMIT - 56 - 1 - 1 - 2;
    const ok = parseAll([encodeRequest({ opcode: Opcode.Set, key: 'k', extras: storeExtras(0, 0), value: Buffer.alloc(fits) })]);
    assert.equal(ok.frames[0]?.kind, 'request');
    const over = parseAll([encodeRequest({ opcode: Opcode.Set, key: 'k', extras: storeExtras(0, 0), value: Buffer.alloc(fits + 1) })]);
    assert.ok(over.frames[0]?.kind === 'error');
    assert.equal(over.frames[0].code, 'TOO_LARGE');
  });

  test('bytes fed after a closing error are ignored', T, () => {
    const { parser } = parseAll([encodeRequest({ opcode: Opcode.Noop, magic: 0 })]);
    parser.feed(encodeRequest({ opcode: Opcode.Noop }));
    assert.equal(parser.next(), undefined);
    assert.equal(parser.bufferedBytes, 0);
  });
});
