/**
 * What the gather bench's replies look like, shared by its server and its client: a `get` reply
 * (`VALUE bench 0 <size>`, the value, `END`) whose value is a fixed pattern the client can check.
 * @module
 */

/** The two ways a reply leaves. */
export type WriteMode = 'copy' | 'gather';

/** The largest value the bench asks for. */
export const MAX_VALUE_BYTES = 1024 * 1024;

/** The value's bytes: a pattern a client can check, the same for every size (a prefix of it). */
export function valueByte(index: number): number {
  return 0x41 + (index % 26);
}

/** The header of a reply carrying a value of `size` bytes. */
export function replyHeader(size: number): Buffer {
  return Buffer.from(`VALUE bench 0 ${size}\r\n`, 'latin1');
}

/** What ends every reply. */
export const REPLY_TRAILER = Buffer.from('\r\nEND\r\n', 'latin1');
