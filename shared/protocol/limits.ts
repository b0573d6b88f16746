/**
 * Protocol limits, with the reasons for each number: the line and data lengths of the text
 * protocol, and (from the store) the key and item limits. The parsers check them before scanning
 * or allocating anything (see conventions: limits first).
 * @module
 */

// The item limits are the store's accounting; the parsers check them before reading a byte.
export { DEFAULT_MAX_ITEM_SIZE, ITEM_HEADER_BYTES, itemTotalSize, MAX_KEY_LENGTH } from '../store/item-size.ts';

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
