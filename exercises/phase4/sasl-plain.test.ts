/**
 * Checks for exercise 4.1 (sasl-plain): the user and password of well-formed messages, the
 * authzid rule, every malformed shape refused, the 255-byte limit, and for any fields the exact
 * bytes back.
 */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, forAll } from '../../shared/course/checks.ts';

const { parseSaslPlain } = await loadExercise<typeof import('./sasl-plain.ts')>(import.meta.url);

const T = { timeout: 10_000 };

/** A message from latin1 text; `\0` is the separator. */
const bytes = (text: string) => Buffer.from(text, 'latin1');
/** The result as plain values, so a failure shows text rather than a Buffer's bytes. */
function readable(result: ReturnType<typeof parseSaslPlain>): unknown {
  return result === null ? null : { user: result.user, password: result.password.toString('latin1') };
}
const given = (text: string) => `parseSaslPlain(${JSON.stringify(text)})`;

describe('4.1 sasl-plain', () => {
  test('the user and password, with an empty authzid (what memjs and libmemcached send)', T, () => {
    expectSame(readable(parseSaslPlain(bytes('\0alice\0secret'))), { user: 'alice', password: 'secret' }, given('\0alice\0secret'));
    expectSame(readable(parseSaslPlain(bytes('\0a\0b'))), { user: 'a', password: 'b' }, given('\0a\0b'));
  });

  test('spaces, colons and bytes above 127 are part of a field', T, () => {
    expectSame(readable(parseSaslPlain(bytes('\0al ice\0pw:with:colons \xff'))), { user: 'al ice', password: 'pw:with:colons \xff' }, given('\0al ice\0pw:with:colons \xff'));
  });

  test('an authzid is accepted only when it is the user itself', T, () => {
    expectSame(readable(parseSaslPlain(bytes('alice\0alice\0secret'))), { user: 'alice', password: 'secret' }, given('alice\0alice\0secret'));
    expectSame(readable(parseSaslPlain(bytes('bob\0alice\0secret'))), null, given('bob\0alice\0secret'));
  });

  test('not exactly two NULs, or an empty user or password: null', T, () => {
    for (const text of ['', 'alice', '\0alice', 'alice\0secret', '\0alice\0sec\0ret', '\0\0secret', '\0alice\0', '\0\0', '\0\0\0']) {
      expectSame(readable(parseSaslPlain(bytes(text))), null, given(text));
    }
  });

  test('a field over 255 bytes: null; 255 is allowed', T, () => {
    const long = 'x'.repeat(256);
    const limit = 'x'.repeat(255);
    expectSame(readable(parseSaslPlain(bytes(`\0alice\0${long}`))), null, given(`\0alice\0<256 bytes>`));
    expectSame(readable(parseSaslPlain(bytes(`\0${long}\0secret`))), null, given(`\0<256 bytes>\0secret`));
    expectSame(readable(parseSaslPlain(bytes(`${long}\0${long}\0secret`))), null, given(`<256 bytes>\0<256 bytes>\0secret`));
    expectSame(readable(parseSaslPlain(bytes(`\0${limit}\0${limit}`))), { user: limit, password: limit }, given('\0<255 bytes>\0<255 bytes>'));
  });

  test('for any user and password without NUL: exactly those bytes back', T, () => {
    const field = fc.uint8Array({ minLength: 1, maxLength: 255 }).filter((array) => !array.includes(0));
    forAll(fc.property(field, field, (user, password) => {
      const message = Buffer.concat([Buffer.from([0]), user, Buffer.from([0]), password]);
      const result = parseSaslPlain(message);
      const text = `parseSaslPlain(<NUL, ${user.length}-byte user, NUL, ${password.length}-byte password>)`;
      expectSame(readable(result), { user: Buffer.from(user).toString('latin1'), password: Buffer.from(password).toString('latin1') }, text);
    }), { numRuns: 200, seed: 42 });
  });
});
