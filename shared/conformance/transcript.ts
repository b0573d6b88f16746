/**
 * The language conformance cases are written in: a transcript is a list of steps, each sending
 * bytes and saying exactly what must come back (bytes, a pattern, or a hang-up). Strings stand
 * for bytes one character each (latin1), so `'\xff'` is the byte 0xff and replies read as on the wire.
 * @module
 */

/** Bytes in a test: a string is read as latin1, one character per byte. */
export type Bytes = string | Uint8Array;

/** Values captured by named groups of earlier {@link matching} replies, e.g. a CAS unique. */
export type Captures = Readonly<Record<string, string>>;

/** A value given directly, or computed from the captures of earlier steps. */
export type Dynamic<T> = T | ((captures: Captures) => T);

/** What the server must send back after a step. */
export type Reply =
  /** Exactly these bytes (none at all for a `noreply` command). */
  | { readonly kind: 'exact'; readonly bytes: Dynamic<Bytes> }
  /**
   * The reply up to and including the first `until` (or, for a number, exactly that many bytes),
   * which must match `pattern` as a whole (read as latin1).
   */
  | { readonly kind: 'match'; readonly pattern: RegExp; readonly until: string | number }
  /** Exactly `before` (often nothing), then the server closes the connection. */
  | { readonly kind: 'hang-up'; readonly before: Bytes };

/** One step of a transcript. */
export type Step =
  /** Send bytes, then check the reply. */
  | { readonly kind: 'exchange'; readonly send: Dynamic<Bytes>; readonly reply: Reply }
  /** Send bytes, then close our side without waiting for anything: a client that gives up mid-command. Always last. */
  | { readonly kind: 'disconnect'; readonly send: Bytes };

/** Makes the keys of one run of one case: `key('a')` is unique to this case, framing and run. */
export type KeyMaker = (name: string) => string;

/** Sends `send` and expects `reply`: exact bytes (a string or buffer, or a function of the captures) or a {@link Reply}. */
export function say(send: Dynamic<Bytes>, reply: Dynamic<Bytes> | Reply): Step {
  const isReply = typeof reply === 'object' && 'kind' in reply;
  return { kind: 'exchange', send, reply: isReply ? reply : { kind: 'exact', bytes: reply } };
}

/**
 * A reply checked by a pattern rather than exact bytes, for what differs between servers or runs
 * (a version string, a CAS unique). The reply ends at the first `until` (default CRLF), or after
 * `until` bytes for a binary reply; named groups are captured for later steps.
 */
export function matching(pattern: RegExp, until: string | number = '\r\n'): Reply {
  return { kind: 'match', pattern, until };
}

/** The server sends exactly `before` (default: nothing) and then closes the connection. */
export function hangsUp(before: Bytes = ''): Reply {
  return { kind: 'hang-up', before };
}

/** Sends `send` and then closes our side of the connection; the last step of a transcript. */
export function disconnect(send: Bytes): Step {
  return { kind: 'disconnect', send };
}

/** Pads `key` with `x` to exactly `length` bytes (to build 250- and 251-byte keys that stay unique). */
export function padKey(key: string, length: number): string {
  if (key.length > length) throw new Error(`key ${key} is already longer than ${length} bytes`);
  return key.padEnd(length, 'x');
}

/** The bytes of `bytes` (latin1 for strings). */
export function toBuffer(bytes: Bytes): Buffer {
  return typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
}

/** Resolves a {@link Dynamic} value against the captures so far. */
export function resolveDynamic<T>(value: Dynamic<T>, captures: Captures): T {
  return typeof value === 'function' ? (value as (captures: Captures) => T)(captures) : value;
}

/** `text` with every regular-expression metacharacter escaped, to put keys and values into a {@link matching} pattern. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
