/**
 * How big an item may be and what it is charged: the store's own accounting, in memcached's
 * numbers so that what fits in memcached fits here. The protocol layer re-exports these for its
 * parsers (which check them before reading a byte); the store depends on no protocol code.
 * @module
 */

/** memcached's key limit (KEY_MAX_LENGTH): the longest key an item can hold. */
export const MAX_KEY_LENGTH = 250;

/** The default item size limit, memcached's `-I 1m`. */
export const DEFAULT_MAX_ITEM_SIZE = 1024 * 1024;

/**
 * Bytes memcached 1.6 charges each item besides its key and value: a 48-byte item header plus an
 * 8-byte CAS, then the key with a terminating NUL and the value with its CRLF. Matching the formula
 * means a value that just fits in memcached also just fits here (measured: with a 2-byte key and
 * `-I 1m`, 1,048,515 value bytes are stored and 1,048,516 are too large).
 */
export const ITEM_HEADER_BYTES = 56;

/** The size an item is charged against the item size limit, as memcached computes it. */
export function itemTotalSize(keyLength: number, valueLength: number): number {
  return ITEM_HEADER_BYTES + keyLength + 1 + valueLength + 2;
}
