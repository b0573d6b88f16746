/**
 * The composition root every phase calls with its parts: how sockets are accepted (the listener
 * and its server factory), what serves each socket (the connection factory), and the resources
 * that outlive connections (worker pools, dispatchers, metrics listeners). It owns the registry
 * of live connections and the shutdown sequence, so a phase adds or swaps parts and copies none.
 *
 * Shutdown, in order: stop accepting → ask every connection to drain (finish what it has read,
 * flush, close with a FIN; idle ones close at once) → at the deadline destroy whatever is still
 * open → close the resources → report what was drained and what was forced.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Connection } from './connection.ts';
import type { ServerCounters } from './server-counters.ts';
import { listenTcp, type ServerFactory } from './tcp-listener.ts';
import type { Closable } from './run-server.ts';

/** Something that lives as long as the server and is closed after the connections. */
export interface Resource {
  /** Releases it (threads terminated, listeners closed); resolves when done. */
  close(): Promise<void>;
}

/** The parts a phase hands to {@link composeServer}. */
export interface ServerParts {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  readonly counters: ServerCounters;
  readonly log: Logger;
  /** What serves an accepted socket. */
  readonly connect: (socket: Socket) => Connection;
  /** How sockets are accepted (default: plain TCP). */
  readonly createServer?: ServerFactory;
  /** Closed after the connections, in this order. */
  readonly resources?: readonly Resource[];
}

/** What a graceful shutdown achieved. */
export interface ShutdownSummary {
  /** Connections that finished their work and closed within the deadline. */
  readonly drained: number;
  /** Connections destroyed at the deadline (a client that never read, or never stopped sending a request). */
  readonly forced: number;
  readonly milliseconds: number;
}

/** A running server: its address, its connections, and two ways to stop. */
export interface ComposedServer extends Closable {
  /** Live connections. */
  readonly connections: ReadonlySet<Connection>;
  /** The graceful sequence, forcing whatever is still open after `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<ShutdownSummary>;
}

/** Listens and serves with the given parts; resolves once connections can be accepted. */
export async function composeServer(parts: ServerParts): Promise<ComposedServer> {
  const connections = new Set<Connection>();
  const listener = await listenTcp({
    host: parts.host,
    port: parts.port,
    maxConnections: parts.maxConnections,
    counters: parts.counters,
    log: parts.log,
    createServer: parts.createServer,
    serve: (socket) => {
      const connection = parts.connect(socket);
      connections.add(connection);
      // At debug only: pino drops these before formatting anything when the level is higher.
      const peer = `${socket.remoteAddress}:${socket.remotePort}`;
      const opened = Date.now();
      parts.log.debug({ peer }, 'connection opened');
      socket.once('close', () => {
        connections.delete(connection);
        parts.log.debug({ peer, ms: Date.now() - opened, bytesRead: socket.bytesRead, bytesWritten: socket.bytesWritten }, 'connection closed');
      });
    },
  });

  let stopping: Promise<ShutdownSummary> | null = null;
  const closeResources = async () => {
    for (const resource of parts.resources ?? []) await resource.close();
  };

  const shutdown = (timeoutMs: number): Promise<ShutdownSummary> => {
    stopping ??= (async () => {
      const started = Date.now();
      const open = connections.size;
      const closed = listener.stopAccepting();
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
      clearTimeout(timer);
      await closeResources();
      return { drained: open - forced, forced, milliseconds: Date.now() - started };
    })();
    return stopping;
  };

  return {
    address: listener.address,
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
