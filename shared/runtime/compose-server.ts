/**
 * The composition root every phase calls with its parts: how sockets are accepted (the listener
 * and its server factory), what serves each socket (the connection factory), and the resources
 * that outlive connections (worker pools, dispatchers, metrics listeners). It owns the registry
 * of live connections and the shutdown sequence, so a phase adds or swaps parts and copies none.
 *
 * Shutdown is the sequence in shutdown-sequence.ts: stop accepting → drain every connection →
 * force at the deadline → close the resources → report what was drained and what was forced.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Connection } from './connection.ts';
import type { ConnectionGuard } from './connection-guard.ts';
import type { ConnectionTable } from './connection-table.ts';
import type { ServerCounters } from './server-counters.ts';
import { listenTcp, type ServerFactory } from './tcp-listener.ts';
import type { Closable } from './run-server.ts';
import type { Resource, ShutdownSummary } from './shutdown-parts.ts';
import { shutdownSequence } from './shutdown-sequence.ts';

export type { Resource, ShutdownSummary } from './shutdown-parts.ts';

/** The parts a phase hands to {@link composeServer}. */
export interface ServerParts {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  readonly counters: ServerCounters;
  readonly log: Logger;
  /** What serves an accepted socket. */
  readonly connect: (socket: Socket) => Connection;
  /** The `stats conns` table: every served socket is listed in it while it is open. */
  readonly table?: ConnectionTable;
  /** How sockets are accepted (default: plain TCP). */
  readonly createServer?: ServerFactory;
  /** Listen on this unix socket instead of `host:port` (memcached's `-s`). */
  readonly path?: string;
  /** The unix socket's permissions (memcached's `-a`); see ListenOptions.pathMode. */
  readonly pathMode?: number;
  /** Checks an accepted socket beyond the total limit (phase 4's edge); none by default. */
  readonly admit?: ConnectionGuard['admit'];
  /** Closed after the connections, in this order. */
  readonly resources?: readonly Resource[];
  /** Listen on this handle, a copy of a listening socket, instead of `host:port` (see ListenOptions.handle). */
  readonly handle?: object;
  /**
   * Serve these parts in event loops on other threads instead of this one (phase 4's `--threads`):
   * {@link composeServer} hands the parts over and returns what this resolves to. That server
   * stops its loops first and then closes `resources`, in order.
   */
  readonly elsewhere?: (parts: ServerParts) => Promise<ComposedServer>;
}

/** A running server: its address, its connections, and two ways to stop. */
export interface ComposedServer extends Closable {
  /** Live connections. */
  readonly connections: ReadonlySet<Connection>;
  /** The graceful sequence, forcing whatever is still open after `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<ShutdownSummary>;
  /** The listening socket's file descriptor, where Node shows it (see TcpListener.descriptor). */
  readonly descriptor?: number | null;
}

/** Where and when a socket was opened, kept only for debug lines. */
interface OpenedAt {
  readonly peer: string;
  readonly ms: number;
}

/**
 * Where the root finds a socket's connection when the socket closes: one property on the socket,
 * rather than a map entry or a closure per connection.
 */
const SERVED_BY = Symbol('kvlab.servedBy');

/** A socket the root serves. */
interface ServedSocket extends Socket {
  [SERVED_BY]: Connection;
}

/** Listens and serves with the given parts; resolves once connections can be accepted. */
export async function composeServer(parts: ServerParts): Promise<ComposedServer> {
  if (parts.elsewhere) return parts.elsewhere({ ...parts, elsewhere: undefined });
  const connections = new Set<Connection>();
  // Made only once debug lines are written (the level can change live): for the line at close.
  let opened: WeakMap<Socket, OpenedAt> | null = null;
  const listener = await listenTcp({
    host: parts.host,
    port: parts.port,
    maxConnections: parts.maxConnections,
    counters: parts.counters,
    log: parts.log,
    createServer: parts.createServer,
    path: parts.path,
    pathMode: parts.pathMode,
    handle: parts.handle,
    admit: parts.admit,
    serve: (socket) => {
      parts.table?.add(socket);
      const connection = parts.connect(socket);
      (socket as ServedSocket)[SERVED_BY] = connection;
      connections.add(connection);
      if (parts.log.isLevelEnabled('debug')) {
        const at = { peer: `${socket.remoteAddress}:${socket.remotePort}`, ms: Date.now() };
        (opened ??= new WeakMap()).set(socket, at);
        parts.log.debug({ peer: at.peer }, 'connection opened');
      }
    },
    // Called by the listener's one 'close' handler: no handler of the root's own per socket.
    closed: (socket) => {
      connections.delete((socket as ServedSocket)[SERVED_BY]);
      parts.table?.remove(socket);
      const at = opened?.get(socket);
      if (at !== undefined) {
        parts.log.debug({ peer: at.peer, ms: Date.now() - at.ms, bytesRead: socket.bytesRead, bytesWritten: socket.bytesWritten }, 'connection closed');
      }
    },
  });
  let stopping: Promise<ShutdownSummary> | null = null;
  const closeResources = async () => {
    for (const resource of parts.resources ?? []) await resource.close();
  };

  // Once: a second call (a second signal's path, a test) gets the same summary.
  const shutdown = (timeoutMs: number): Promise<ShutdownSummary> => {
    stopping ??= shutdownSequence(listener, connections, parts.resources ?? [], timeoutMs);
    return stopping;
  };

  return {
    address: listener.address,
    descriptor: listener.descriptor,
    connections,
    shutdown,
    /** Stops at once: every connection destroyed (the second signal, or a test's cleanup). */
    async close(): Promise<void> {
      if (stopping) {
        listener.destroyConnections();
        await stopping;
        return;
      }
      await listener.close();
      await closeResources();
    },
  };
}
