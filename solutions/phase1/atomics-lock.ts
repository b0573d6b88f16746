/**
 * Reference answer to exercise 1.4 (atomics-lock): the lock the store runs under,
 * shared/store/atomics-lock.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - The fast path is a single compareExchange(Free → Locked): an uncontended lock costs one atomic
 *   instruction and no system call.
 * - A thread that must wait first *exchanges* the word to Contended. Exchange, not store: if the
 *   owner unlocked in between, the old value comes back Free and the lock is simply ours.
 * - Atomics.wait(cells, i, Contended) compares and sleeps in one step, so a notify that lands
 *   between our exchange and the wait is never lost — wait returns at once instead.
 * - After waking, the thread exchanges to Contended again (not Locked): others may still sleep,
 *   and the next unlock must wake one of them.
 * - unlock() exchanges to Free and looks at what it replaced: Contended → notify exactly one
 *   sleeper (waking all would only make them fight again); Locked → nobody to wake, no system
 *   call; Free → the caller did not hold the lock, a bug worth an exception.
 * - Every Atomics operation is sequentially consistent, so the plain writes made inside the
 *   critical section are visible to the next thread that takes the lock.
 * @module
 */
export * from '../../shared/store/atomics-lock.ts';
