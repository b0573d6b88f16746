// TextReply: the VALUE header written byte by byte must equal memcached's line exactly, for every
// width of number and every latin1 key, and the value must go out as its own piece, uncopied.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextReply } from './text-reply.ts';
import type { Item } from '../../store/store.ts';

/** The reply as memcached words it, built the plain way. */
function expected(item: Item, withCas: boolean): Buffer {
  const cas = withCas ? ` ${item.cas}` : '';
  return Buffer.concat([Buffer.from(`VALUE ${item.key} ${item.flags} ${item.value.length}${cas}\r\n`, 'latin1'), item.value, Buffer.from('\r\n')]);
}

function built(item: Item, withCas: boolean): Buffer[] {
  const out = new TextReply();
  out.value(item, withCas);
  assert.equal(out.bytes, expected(item, withCas).length);
  return out.take();
}

describe('TextReply.value', { timeout: 10_000 }, () => {
  test('writes the header, the value and CRLF as three pieces', () => {
    const item: Item = { key: 'greeting', flags: 42, value: Buffer.from('hello'), cas: 7n };
    const chunks = built(item, false);
    assert.equal(chunks.length, 3);
    assert.equal(chunks[0]!.toString('latin1'), 'VALUE greeting 42 5\r\n');
    assert.equal(chunks[1], item.value, 'the value is handed on, not copied');
    assert.equal(chunks[2]!.toString('latin1'), '\r\n');
  });

  test('gets adds the CAS value', () => {
    const item: Item = { key: 'k', flags: 0, value: Buffer.alloc(0), cas: 2n ** 53n - 1n };
    assert.equal(built(item, true)[0]!.toString('latin1'), `VALUE k 0 0 ${2 ** 53 - 1}\r\n`);
  });

  test('gets writes every 64-bit CAS exactly, past 2^53 too', () => {
    for (const cas of [2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const item: Item = { key: 'k', flags: 0, value: Buffer.alloc(0), cas };
      assert.equal(built(item, true)[0]!.toString('latin1'), `VALUE k 0 0 ${cas}\r\n`);
    }
  });

  test('matches the plain construction for any key, flags, length and CAS', () => {
    const latin1Key = fc.string({ unit: fc.integer({ min: 0x21, max: 0xff }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 250 });
    fc.assert(
      fc.property(latin1Key, fc.nat({ max: 0xffff_ffff }), fc.nat({ max: 2000 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.boolean(), (key, flags, length, cas, withCas) => {
        const item: Item = { key, flags, value: Buffer.alloc(length, 'v'), cas };
        assert.deepEqual(Buffer.concat(built(item, withCas)), expected(item, withCas));
      }),
      { numRuns: 500 },
    );
  });
});
