/**
 * Exercise 4.1 — SASL PLAIN's message: split `[authzid] NUL authcid NUL passwd` into the user and
 * the password that phase 4 checks a binary client's login against, and refuse every message that
 * is not exactly that. Stands in for phases/phase4/auth/sasl-plain.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

// Given: the separator byte (NUL, 0x00), the 255-byte field limit and the result's shape, shared
// with the real module. Import NUL and MAX_PLAIN_FIELD from there when your code needs them.
import type { PlainCredentials } from '../../phases/phase4/auth/plain-message.ts';

export { MAX_PLAIN_FIELD, type PlainCredentials } from '../../phases/phase4/auth/plain-message.ts';

/**
 * TODO: return `{ user, password }` from a message of exactly three fields separated by two NUL
 * bytes — authzid (may be empty), authcid (the user), passwd — or null when the message is
 * malformed: fewer or more than two NULs, an empty user or password, any field over
 * MAX_PLAIN_FIELD bytes, or an authzid that is not empty and not equal to the authcid. The user
 * is the authcid read as latin1 (one character per byte); the password stays bytes.
 *
 * Why so strict: these bytes come from a client that has not authenticated — anyone. A parser
 * that guesses (takes the first two fields, trims, allows a NUL in the password) gives two
 * different readings of one message, and the reading that logs in may not be the one the log
 * and the user check saw. And an authzid naming another user asks to act as that user, which a
 * server that has no such permission model must refuse rather than ignore.
 */
export function parseSaslPlain(message: Buffer): PlainCredentials | null {
  return todo('parseSaslPlain', message);
}
