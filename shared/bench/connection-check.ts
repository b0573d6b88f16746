/**
 * The short "simultaneous connections" check of a load run: hold N connections open at once and
 * confirm that every one answers a `version` request while all are open.
 * @module
 */
import type { ConnectionOptions } from '../client/connection.ts';
import type { Reply } from '../client/reply.ts';
import { failureCause, openConnections } from './open-connections.ts';

/** What the check found. */
export interface ConnectionCheck {
  readonly attempted: number;
  readonly opened: number;
  /** Connections that answered while all were open. */
  readonly answered: number;
  /** Why the others failed, by cause. */
  readonly failures: Record<string, number>;
  readonly elapsedMs: number;
}

/** Connects in bursts no larger than this, below every server's default accept backlog (511). */
const PARALLEL_CONNECTS = 200;

/** A reply other than VERSION, named for the failure table (e.g. TOO_MANY_CONNECTIONS). */
function replyCause(reply: Reply): string {
  return reply.kind === 'error' ? (reply.code ?? reply.type) : `unexpected ${reply.kind} reply`;
}

/** Opens `count` connections to the server, asks each for its version, and closes them all. */
export async function checkConnections(count: number, options: ConnectionOptions): Promise<ConnectionCheck> {
  const started = performance.now();
  const opened = await openConnections(count, PARALLEL_CONNECTS, () => options);
  const failures = new Map(opened.failures);
  const outcomes = await Promise.allSettled(opened.connections.map((connection) => connection.request({ op: 'version' })));
  let answered = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled' && outcome.value.kind === 'version') answered++;
    else {
      const cause = outcome.status === 'rejected' ? failureCause(outcome.reason) : replyCause(outcome.value);
      failures.set(cause, (failures.get(cause) ?? 0) + 1);
    }
  }
  for (const connection of opened.connections) connection.destroy();
  return { attempted: count, opened: opened.connections.length, answered, failures: Object.fromEntries(failures), elapsedMs: performance.now() - started };
}
