/** FNV-1a against the published 32-bit test vectors, and its refusal of non-latin1 keys. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a } from './fnv1a.ts';

describe('fnv1a', { timeout: 5000 }, () => {
  test('matches the reference vectors', () => {
    // From the FNV reference test suite (Landon Curt Noll): FNV-1a 32-bit.
    assert.equal(fnv1a(''), 0x811c9dc5);
    assert.equal(fnv1a('a'), 0xe40c292c);
    assert.equal(fnv1a('foobar'), 0xbf9cf968);
  });

  test('reads every latin1 character as its byte', () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const hash = fnv1a(all);
    assert.ok(Number.isInteger(hash) && hash >= 0 && hash <= 0xffffffff);
    assert.notEqual(fnv1a('\u00ff'), fnv1a('\u00fe'));
  });

  test('rejects a character that is not one byte', () => {
    assert.throws(() => fnv1a('caf\u20ac'), RangeError);
  });
});
