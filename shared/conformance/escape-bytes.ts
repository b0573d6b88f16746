/**
 * Shows bytes the way a protocol test needs to see them: printable ASCII as itself, CR, LF and tab
 * as `\r`, `\n`, `\t`, a backslash doubled, every other byte as `\xNN`; so `STORED\r\n` reads as
 * written in the test. Long buffers keep their head and tail and say how much was left out.
 * @module
 */

const BACKSLASH = 0x5c;
const FIRST_PRINTABLE = 0x20;
const LAST_PRINTABLE = 0x7e;
const NAMED: Readonly<Record<number, string>> = { 0x0d: '\\r', 0x0a: '\\n', 0x09: '\\t', [BACKSLASH]: '\\\\' };

function escapeByte(byte: number): string {
  const named = NAMED[byte];
  if (named !== undefined) return named;
  if (byte >= FIRST_PRINTABLE && byte <= LAST_PRINTABLE) return String.fromCharCode(byte);
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Escapes `bytes`; when there are more than `limit` of them, shows the first and last parts
 * with `…(N bytes)…` between (a 1 MiB value must not flood a failure message).
 */
export function escapeBytes(bytes: Uint8Array, limit = 400): string {
  if (bytes.length <= limit) return Array.from(bytes, escapeByte).join('');
  const head = Math.ceil((limit * 3) / 4);
  const tail = limit - head;
  const left = Array.from(bytes.subarray(0, head), escapeByte).join('');
  const right = Array.from(bytes.subarray(bytes.length - tail), escapeByte).join('');
  return `${left}…(${bytes.length - limit} bytes)…${right}`;
}

/** The offset of the first byte where `a` and `b` differ, or -1 when one is a prefix of the other. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return i;
  return -1;
}
