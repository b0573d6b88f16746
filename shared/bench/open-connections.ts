/**
 * Opens many connections to one server without flooding its accept queue: at most `parallel`
 * connects are outstanding at a time. Failures are counted by their error code, not thrown, so a
 * caller can report how far it got and what stopped it.
 * @module
 */
import { ClientError } from '../client/client-errors.ts';
import { Connection, type ConnectionOptions } from '../client/connection.ts';

/** The outcome of opening connections. */
export interface OpenedConnections {
  readonly connections: Connection[];
  /** Failed attempts by cause: the socket error code (ECONNREFUSED, EMFILE…) or the client error code. */
  readonly failures: Map<string, number>;
  /** Wall time from the first connect to the last outcome, in milliseconds. */
  readonly elapsedMs: number;
}

/** The most specific name for why a connect failed. */
export function failureCause(error: unknown): string {
  if (error instanceof ClientError) {
    if (error.reply?.kind === 'error') return error.reply.code ?? error.reply.type;
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    return cause?.code ?? error.code;
  }
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * Opens `count` connections of any kind, `connect` making each.
 * @param count - how many
 * @param parallel - the most connects outstanding at once
 * @param connect - opens the i-th connection
 * @param stop - asked before each connect: true, and no more are started (those in flight finish)
 * @param onOpened - told of each connection opened, with its index (they open out of order)
 */
export async function openEach<T>(
  count: number, parallel: number, connect: (i: number) => Promise<T>, stop: () => boolean = () => false,
  onOpened?: (i: number, connection: T) => void,
): Promise<{ readonly connections: T[]; readonly failures: Map<string, number>; readonly elapsedMs: number }> {
  const connections: T[] = [];
  const failures = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < count && !stop()) {
      const i = next++;
      try {
        const connection = await connect(i);
        connections.push(connection);
        onOpened?.(i, connection);
      } catch (error) {
        const cause = failureCause(error);
        failures.set(cause, (failures.get(cause) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  return { connections, failures, elapsedMs: performance.now() - started };
}

/**
 * Opens `count` client connections.
 * @param count - how many
 * @param parallel - the most connects outstanding at once
 * @param optionsFor - the options of the i-th connection (its local address, for one)
 * @param stop - asked before each connect: true, and no more are started (those in flight finish)
 * @param onOpened - told of each connection opened, with its index (they open out of order)
 */
export function openConnections(
  count: number, parallel: number, optionsFor: (i: number) => ConnectionOptions, stop: () => boolean = () => false,
  onOpened?: (i: number, connection: Connection) => void,
): Promise<OpenedConnections> {
  return openEach(count, parallel, (i) => Connection.connect(optionsFor(i)), stop, onOpened);
}
