/**
 * Reference answer to exercise 1.2 (counter-value): the module the servers run,
 * shared/store/counter-value.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - It walks the bytes in place (`bytes[i]`) instead of making a string and using a regular
 *   expression: incr runs under the store's lock, where every allocation is paid by every thread.
 * - Leading zeros are skipped before counting digits, so "000…0012" of any length is still 12,
 *   while 21 significant digits are rejected before BigInt ever sees them.
 * - BigInt only at the end, on at most 20 digits: 2^64 does not fit a double, and a counter that
 *   lost its low bits would be a silent corruption.
 * - incr wraps with a mask (`& MAX_COUNTER`), which is addition modulo 2^64; decr compares before
 *   subtracting, because a BigInt below zero would not wrap the way C's unsigned types do.
 * - One deliberate difference, documented there: memcached turns "-18446744073709551615" into 1;
 *   here a minus sign is accepted only before zero.
 * @module
 */
export * from '../../shared/store/counter-value.ts';
