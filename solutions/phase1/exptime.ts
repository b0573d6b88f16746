/**
 * Reference answer to exercise 1.1 (exptime). Not a copy: it re-exports the very module the
 * servers run, shared/store/exptime.ts, so this answer and the server can never disagree. Read that
 * file; here is why it looks the way it does.
 *
 * - The store keeps an absolute time (`expiresAt`), computed once when the item is stored, so every
 *   read is one comparison with the clock and never re-interprets what the client sent.
 * - `0` and the negative values are tested first: they are the only ones whose meaning does not
 *   depend on size. Negative becomes −1, a time every clock reading is already past.
 * - The 30-day line (memcached's REALTIME_MAXDELTA) is inclusive: 2592000 is still relative.
 * - An absolute time in the past needs no special case: `isExpired` sees it as expired.
 * - "Expired" means the clock has *reached* the time (`<=`), as in memcached, so exptime 1 lasts
 *   one second, not one second and a bit.
 * @module
 */
export * from '../../shared/store/exptime.ts';
