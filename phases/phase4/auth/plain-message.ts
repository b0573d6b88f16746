/**
 * What SASL PLAIN's message is made of (RFC 4616), shared by the parser that phase 4 runs
 * (sasl-plain.ts) and the exercise that stands in for it: the separator, the field limit and the
 * shape of what comes out.
 *
 *   message = [authzid] NUL authcid NUL passwd     (each field at most 255 bytes)
 * @module
 */

/** The zero byte that separates the fields. */
export const NUL = 0x00;

/** RFC 4616 caps each field at 255 bytes. */
export const MAX_PLAIN_FIELD = 255;

/** What a PLAIN message carries. */
export interface PlainCredentials {
  /** The user logging in (the authcid), one latin1 character per byte. */
  readonly user: string;
  /** The password, as sent: a view into the message. */
  readonly password: Buffer;
}
