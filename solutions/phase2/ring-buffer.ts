/**
 * Reference answer to exercise 2.3 (ring-buffer): the ring phase 2's workers run,
 * phases/phase2/ring/ring-buffer.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - One writer, one reader, and each counter has exactly one writer: TAIL belongs to the writer,
 *   HEAD to the reader. Nothing is ever written by both sides, so no lock and no compareExchange
 *   is needed — only the order of plain writes and Atomics stores.
 * - Publish after writing: the bytes and the length are plain writes, then Atomics.store(TAIL).
 *   JavaScript's Atomics are sequentially consistent, so a reader that loads the new TAIL sees
 *   every byte written before it. The reader mirrors this with HEAD after copying the record out.
 * - The counters run freely and wrap at 2^32; `tail - head` is taken `>>> 0`, so the distance
 *   stays right across the wrap, and `& mask` maps a position to an offset in one instruction.
 * - A record never splits: if it does not fit before the end, a -1 marker says "skip to 0". That
 *   is why a record may take at most half the ring — then it always fits an empty one.
 * - Each side caches the other's counter and re-reads it only when the cache says "full" or
 *   "empty": the hot path touches the other thread's cache line as rarely as it can.
 * - Sleeping is opt-in: a side raises its SLEEPING flag before waiting, and the other side
 *   notifies only when it sees the flag, so a busy ring makes no system calls at all. The flag is
 *   read with Atomics.load after the counter's store (and the sleeper re-reads the counter after
 *   raising the flag), so one side always sees the other: no wakeup is lost
 *   (phases/phase2/ring/ring-wakeup.stress.test.ts looks for lost ones).
 * - A wakeup is a hint, not news: the writer can be preempted between storing TAIL and its
 *   notify, and that late notify then wakes the reader's next sleep with the ring empty. So each
 *   wait looks again after waking and sleeps on until there is data (room) or its deadline
 *   passes; returning false early would read as a timeout (ring-stale-notify.test.ts).
 * @module
 */
export * from '../../phases/phase2/ring/ring-buffer.ts';
