/** "Did you mean": the distance itself, and which names are near enough to suggest. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { didYouMean, editDistance, suggest } from '../suggest.ts';
import { PHASE3_OPTIONS } from '../phase3-options.ts';

const T = { timeout: 10_000 };
const NAMES = Object.keys(PHASE3_OPTIONS);

describe('editDistance', () => {
  test('counts insertions, deletions, substitutions and adjacent swaps as one edit each', T, () => {
    assert.equal(editDistance('port', 'port'), 0);
    assert.equal(editDistance('prot', 'port'), 1);
    assert.equal(editDistance('pot', 'port'), 1);
    assert.equal(editDistance('portt', 'port'), 1);
    assert.equal(editDistance('bort', 'port'), 1);
    assert.equal(editDistance('', 'port'), 4);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  test('properties: zero only for equal strings, symmetric, at most the longer length', T, () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
      const d = editDistance(a, b);
      assert.equal(d === 0, a === b);
      assert.equal(d, editDistance(b, a));
      assert.ok(d <= Math.max(a.length, b.length));
      assert.ok(d >= Math.abs(a.length - b.length));
    }));
  });

  test('property: one inserted character is one edit', T, () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.nat(12), fc.string({ minLength: 1, maxLength: 1 }), (s, at, c) => {
      const i = Math.min(at, s.length);
      assert.equal(editDistance(s.slice(0, i) + c + s.slice(i), s), 1);
    }));
  });
});

describe('suggest', () => {
  test('typos of option names find the option', T, () => {
    assert.equal(suggest('prot', NAMES), 'port');
    assert.equal(suggest('memry-mb', NAMES), 'memory-mb');
    assert.equal(suggest('max-conections', NAMES), 'max-connections');
    assert.equal(suggest('shutdown-timout', NAMES), 'shutdown-timeout');
    assert.equal(suggest('LOG-LEVEL', NAMES), 'log-level');
  });

  test('a unique prefix is enough: --memory for --memory-mb', T, () => {
    assert.equal(suggest('memory', NAMES), 'memory-mb');
    assert.equal(suggest('write', NAMES), 'write-high-water');
  });

  test('nothing near, nothing suggested', T, () => {
    assert.equal(suggest('threads', NAMES), undefined);
    assert.equal(suggest('completely-different', NAMES), undefined);
    assert.equal(didYouMean('xyzzy', NAMES, '--'), '');
    assert.equal(didYouMean('prot', NAMES, '--'), '; did you mean --port?');
  });
});
