/** The auth file: memcached's `user:password` lines, users checked by digest. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Credentials, CredentialsError, MAX_ENTRY_BYTES } from '../credentials.ts';

const file = (text: string) => Buffer.from(text, 'latin1');
const pass = (text: string) => Buffer.from(text, 'latin1');

test('each line is user:password, split at the first colon, CRLF or LF ending it', () => {
  const users = Credentials.parse(file('alice:secret\r\nbob:pw:with:colons\n\ncarol:\xe9t\xe9\n'));
  assert.equal(users.size, 3);
  assert.equal(users.check('alice', pass('secret')), true);
  assert.equal(users.check('bob', pass('pw:with:colons')), true);
  assert.equal(users.check('carol', pass('\xe9t\xe9')), true, 'bytes above 127 compared byte for byte');
});

test('a wrong password, a near miss, an unknown user and another user\'s password all fail', () => {
  const users = Credentials.parse(file('alice:secret\nbob:hunter2\n'));
  assert.equal(users.check('alice', pass('secreT')), false);
  assert.equal(users.check('alice', pass('secret ')), false);
  assert.equal(users.check('alice', pass('')), false);
  assert.equal(users.check('mallory', pass('secret')), false);
  assert.equal(users.check('alice', pass('hunter2')), false);
  assert.equal(users.check('Alice', pass('secret')), false, 'user names are case-sensitive');
});

test('a password with a space is kept, and named as one the text handshake cannot carry', () => {
  const users = Credentials.parse(file('alice:secret\nbob:two words\n'));
  assert.equal(users.check('bob', pass('two words')), true);
  assert.deepEqual(users.spacedPasswords, ['bob']);
});

test('an empty password in the file is a password like any other', () => {
  const users = Credentials.parse(file('nobody:\n'));
  assert.equal(users.check('nobody', pass('')), true);
  assert.equal(users.check('nobody', pass('x')), false);
});

test('a malformed file is refused with the line, never the password', () => {
  const cases: [string, RegExp][] = [
    ['alice:secret\nno-colon-here\n', /line 2: a malformed entry/],
    [':nouser\n', /line 1: a malformed entry/],
    ['al ice:secret\n', /line 1: the user name holds a space/],
    ['alice:one\nalice:two\n', /line 2: the user "alice" appears twice/],
    [`alice:${'x'.repeat(MAX_ENTRY_BYTES)}\n`, /line 1: longer than 256 bytes/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => Credentials.parse(file(text), 'users.txt'), (error: unknown) => {
      assert.ok(error instanceof CredentialsError);
      assert.match(error.message, message);
      assert.match(error.message, /^users\.txt/);
      assert.doesNotMatch(error.message, /secret|one|two|xxxx/);
      return true;
    });
  }
});
