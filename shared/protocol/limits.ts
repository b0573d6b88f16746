/**
 * Protocol limits shared by the parsers and the store, with the reasons for each number.
 * The parsers check them before scanning or allocating anything (see conventions: limits first).
 * @module
 */

/** memcached's key limit (KEY_MAX_LENGTH): a longer key is a client error in both protocols. */
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

/**
 * Without a newline after this many bytes a text command line is hopeless, and memcached hangs up
 * (its own threshold) — unless the line is a multi-key get, which may legitimately be long.
 */
export const MAX_LINE_LENGTH = 2048;

/**
 * Our bound on a multi-key `get`/`gets` line (memcached sets none): ~4,000 keys of 250 bytes.
 * A longer line closes the connection, so one client cannot make us buffer without limit.
 */
export const MAX_GET_LINE_LENGTH = 1024 * 1024;

/**
 * The largest data block length a storage line may declare: 2^31 − 3. memcached adds the CRLF to
 * the length in a C int, so it calls anything longer malformed (`CLIENT_ERROR bad command line
 * format`, nothing swallowed); a length up to this one is judged against the item size limit and,
 * if too large, swallowed.
 */
export const MAX_DATA_LENGTH = 2 ** 31 - 3;
