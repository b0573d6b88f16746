/**
 * Exercise 3.4 — the graceful shutdown, as one sequence: what a server does between SIGTERM and
 * exit so that no client loses a reply and no deploy waits for ever. Stands in for
 * shared/runtime/shutdown-sequence.ts: same export, same behaviour.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';
import type { Drainable, Listening, Resource, ShutdownSummary } from '../../shared/runtime/shutdown-parts.ts';

/**
 * Runs the shutdown once and resolves with its summary when everything is closed.
 *
 * TODO: these five steps, in this order:
 * 1. `listener.stopAccepting()` — keep its promise: it resolves once every connection is closed.
 * 2. `drain()` every connection (loop over a copy: they leave the set as they close).
 * 3. Wait for that promise or for `timeoutMs`, whichever comes first. At the deadline, count
 *    `listener.sockets.size` as forced, `listener.destroyConnections()`, and wait for it again.
 * 4. Clear the deadline's timer, then `close()` each resource, one after the other, in order.
 * 5. Resolve `{ drained, forced, milliseconds }`: drained = connections open at the start − forced.
 * Why this order: stop accepting first, or the drain never ends; drain before forcing, because
 * most clients finish in milliseconds; the deadline, because one client that never reads must not
 * hold a deploy hostage; resources last, because a ring worker must outlive the connection it
 * answers; and a timer left running keeps a drained process alive until the deadline.
 */
export function shutdownSequence(
  listener: Listening, connections: ReadonlySet<Drainable>, resources: readonly Resource[], timeoutMs: number,
): Promise<ShutdownSummary> {
  return todo('shutdownSequence', listener, connections, resources, timeoutMs);
}
