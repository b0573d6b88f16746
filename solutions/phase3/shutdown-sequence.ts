/**
 * Reference answer to the shutdown-sequence exercise. Not a copy: it re-exports the very module
 * every phase's server shuts down with, shared/runtime/shutdown-sequence.ts, so this answer and the
 * servers can never disagree. Read that file; here is why it looks the way it does.
 *
 * - One promise says "everything is closed": the listener's `stopAccepting()`, which Node's
 *   `server.close()` resolves only once the last connection is gone. The sequence does not count
 *   closes itself, so a connection that closes during `drain()` is never missed.
 * - The deadline is a race, not a poll: `Promise.race([closed, deadline])` ends the wait the moment
 *   the last connection closes, and no sooner than that.
 * - Forced is read from the listener at the deadline, and drained is what remains of the count at
 *   the start: a connection that closes between the two is drained, never counted twice.
 * - Resources close one after another, in the order the phase gave them: ring workers before the
 *   metrics listener, so /readyz keeps answering 503 until the very end.
 * - The timer is cleared even when the race was won: an armed 10-second timer keeps Node's event
 *   loop alive, and a server that drained in 5 ms would exit 10 seconds late.
 * @module
 */
export * from '../../shared/runtime/shutdown-sequence.ts';
