/**
 * SASL PLAIN's one message (RFC 4616): `[authzid] NUL authcid NUL passwd` — who to act as
 * (usually empty), who is logging in, and the password, separated by two zero bytes. memjs and
 * libmemcached send it as the value of the binary protocol's SASL Auth request. A message that is
 * not exactly three fields, an empty name or password, a field over 255 bytes, or an authzid that
 * names someone else (acting for another user is not offered here) is no credential at all.
 * @module
 */
import { MAX_PLAIN_FIELD, NUL, type PlainCredentials } from './plain-message.ts';

export { MAX_PLAIN_FIELD, type PlainCredentials } from './plain-message.ts';

/** The user and password of a PLAIN message, or null when it is malformed. */
export function parseSaslPlain(message: Buffer): PlainCredentials | null {
  const first = message.indexOf(NUL);
  if (first === -1) return null;
  const second = message.indexOf(NUL, first + 1);
  // Exactly two separators: a third would put a NUL inside the password.
  if (second === -1 || message.indexOf(NUL, second + 1) !== -1) return null;
  const authzid = message.subarray(0, first);
  const authcid = message.subarray(first + 1, second);
  const password = message.subarray(second + 1);
  if (authcid.length === 0 || password.length === 0) return null;
  if (authzid.length > MAX_PLAIN_FIELD || authcid.length > MAX_PLAIN_FIELD || password.length > MAX_PLAIN_FIELD) return null;
  // An authzid may only repeat the authcid: logging in as one user to act as another is refused.
  if (authzid.length > 0 && !authzid.equals(authcid)) return null;
  return { user: authcid.toString('latin1'), password };
}
