/**
 * FNV-1a, 32-bit, over a latin1 key: for each byte, xor it into the hash, then multiply by the FNV
 * prime. Tiny, allocation-free and well spread for short keys, which is what a bucket index needs.
 * @module
 */

/** FNV-1a's 32-bit offset basis (the hash of the empty string). */
const OFFSET_BASIS = 0x811c9dc5;
/** FNV's 32-bit prime, 2^24 + 2^8 + 0x93. */
const PRIME = 0x01000193;
/** The largest char code a latin1 string holds: every character stands for one byte. */
const MAX_LATIN1 = 0xff;

/**
 * The FNV-1a hash of `key`'s bytes, as an unsigned 32-bit integer. Reads each character as the
 * byte it stands for (keys are latin1 strings), so no Buffer is made.
 * @throws RangeError when a character is above U+00FF and so is not one byte
 */
export function fnv1a(key: string): number {
  let hash = OFFSET_BASIS;
  for (let i = 0; i < key.length; i++) {
    const byte = key.charCodeAt(i);
    if (byte > MAX_LATIN1) throw new RangeError(`key is not a latin1 string (char ${i} is U+${byte.toString(16)})`);
    // Math.imul multiplies as 32-bit integers; a plain * would lose the low bits above 2^53.
    hash = Math.imul(hash ^ byte, PRIME);
  }
  return hash >>> 0;
}
