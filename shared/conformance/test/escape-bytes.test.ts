/** Unit tests of the escaped-byte display that every conformance failure uses. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeBytes, firstDifference } from '../escape-bytes.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('escapeBytes', { timeout: 5000 }, () => {
  test('shows CR, LF and tab as escapes and printable ASCII as itself', () => {
    assert.equal(escapeBytes(bytes('STORED\r\n')), 'STORED\\r\\n');
    assert.equal(escapeBytes(bytes('a\tb')), 'a\\tb');
  });

  test('shows other bytes as \\xNN and doubles a backslash', () => {
    assert.equal(escapeBytes(bytes('\x00\x7f\xff')), '\\x00\\x7f\\xff');
    assert.equal(escapeBytes(bytes('a\\b')), 'a\\\\b');
  });

  test('keeps the head and tail of a long buffer and counts what it left out', () => {
    const shown = escapeBytes(bytes(`${'a'.repeat(1000)}END\r\n`), 100);
    assert.match(shown, /^a{75}…\(905 bytes\)…a{20}END\\r\\n$/);
  });
});

describe('firstDifference', { timeout: 5000 }, () => {
  test('finds the first differing byte, or -1 for a prefix', () => {
    assert.equal(firstDifference(bytes('STORED'), bytes('STOP')), 3);
    assert.equal(firstDifference(bytes('END'), bytes('END\r\n')), -1);
  });
});
