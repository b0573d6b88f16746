/**
 * Base64 for meta's `b` flag (binary keys), read as memcached 1.6.18 reads it: bytes outside the
 * alphabet are skipped, the alphabet characters must come in groups of four, and a group with
 * one or two `=` ends the key (three or four is an error). Node's own decoder is more lenient
 * (it accepts a missing pad), so keys it would take and memcached would refuse are refused here.
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 0x3d;
/** Not a base64 character. */
const SKIP = 0x80;

/** Each byte's 6-bit value, SKIP for bytes outside the alphabet; '=' reads as 0, as memcached's table has it. */
const VALUES = new Uint8Array(256).fill(SKIP);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
VALUES[PAD] = 0;

/** Decodes `buf[start, end)` into a latin1 key, or undefined where memcached fails to decode. */
export function decodeBase64Key(buf: Buffer, start: number, end: number): string | undefined {
  let count = 0;
  for (let i = start; i < end; i++) if (VALUES[buf[i]!] !== SKIP) count++;
  if (count === 0 || count % 4 !== 0) return undefined;
  // Output is never longer than 3/4 of the input, itself at most a 250-byte key token.
  const out = Buffer.allocUnsafe((count / 4) * 3);
  let length = 0;
  let group = 0;
  let inGroup = 0;
  let pads = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    const value = VALUES[byte]!;
    if (value === SKIP) continue;
    if (byte === PAD) pads++;
    group = (group << 6) | value;
    if (++inGroup < 4) continue;
    out[length++] = (group >>> 16) & 0xff;
    out[length++] = (group >>> 8) & 0xff;
    out[length++] = group & 0xff;
    group = 0;
    inGroup = 0;
    if (pads > 0) {
      if (pads > 2) return undefined;
      length -= pads;
      break;
    }
  }
  return out.toString('latin1', 0, length);
}

/** A latin1 key as base64 (with padding), as memcached echoes a binary key. */
export function encodeBase64Key(key: string): string {
  return Buffer.from(key, 'latin1').toString('base64');
}
