/**
 * Reference answer to exercise 4.1 (sasl-plain): the parser phase 4's SASL login runs,
 * phases/phase4/auth/sasl-plain.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - Three indexOf calls find the separators and prove there is no third, so a NUL can never hide
 *   inside the password, and the fields are views (subarray) into the message, copied nowhere.
 * - Every limit is checked before the user name is decoded: a malformed message costs no string.
 * - An authzid is accepted only when it repeats the authcid — what RFC 4616 allows a server that
 *   has no proxy permissions to do — so a client cannot log in as one user to act as another.
 * @module
 */
export * from '../../phases/phase4/auth/sasl-plain.ts';
