/** SASL PLAIN's message: [authzid] NUL authcid NUL passwd. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSaslPlain } from '../sasl-plain.ts';

const message = (text: string) => Buffer.from(text, 'latin1');

test('the user and password of a message with an empty or matching authzid', () => {
  assert.deepEqual(parseSaslPlain(message('\0alice\0secret')), { user: 'alice', password: message('secret') });
  assert.deepEqual(parseSaslPlain(message('alice\0alice\0secret')), { user: 'alice', password: message('secret') });
  assert.deepEqual(parseSaslPlain(message('\0al ice\0se cret:\xff')), { user: 'al ice', password: message('se cret:\xff') });
});

test('malformed messages carry no credentials', () => {
  for (const text of ['', 'alice', '\0alice', 'alice\0secret', '\0\0secret', '\0alice\0', '\0alice\0sec\0ret', 'bob\0alice\0secret']) {
    assert.equal(parseSaslPlain(message(text)), null, JSON.stringify(text));
  }
});

test('a field over 255 bytes is refused', () => {
  assert.equal(parseSaslPlain(message(`\0alice\0${'p'.repeat(256)}`)), null);
  assert.equal(parseSaslPlain(message(`\0${'u'.repeat(256)}\0secret`)), null);
  assert.notEqual(parseSaslPlain(message(`\0alice\0${'p'.repeat(255)}`)), null);
});
