/**
 * The graceful shutdown, as one sequence: stop accepting → ask every connection to drain (finish
 * what it has read, flush, close with a FIN; idle ones close at once) → at the deadline destroy
 * whatever is still open → close the resources, in order → report what was drained and forced.
 * @module
 */
import type { Drainable, Listening, Resource, ShutdownSummary } from './shutdown-parts.ts';

/**
 * Runs the sequence once and resolves with its summary when everything is closed. `connections`
 * are the live ones at the moment of the call; `timeoutMs` bounds how long they may take to drain.
 */
export async function shutdownSequence(
  listener: Listening, connections: ReadonlySet<Drainable>, resources: readonly Resource[], timeoutMs: number,
): Promise<ShutdownSummary> {
  const started = Date.now();
  const open = connections.size;
  // Stop accepting first: a connection accepted during the drain would be one more to wait for.
  const closed = listener.stopAccepting();
  // A copy: connections leave the set as they close, some of them inside drain() itself.
  for (const connection of [...connections]) connection.drain();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, 'deadline');
  });
  let forced = 0;
  if ((await Promise.race([closed, deadline])) === 'deadline') {
    forced = listener.sockets.size;
    listener.destroyConnections();
    await closed;
  }
  // Cleared, or a server that drained in 5 ms would keep its process alive until the deadline.
  clearTimeout(timer);
  // Resources after the connections: a ring worker must outlive the connection it answers.
  for (const resource of resources) await resource.close();
  return { drained: open - forced, forced, milliseconds: Date.now() - started };
}
