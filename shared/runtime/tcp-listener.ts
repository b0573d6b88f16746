/**
 * The accept side every phase shares: listen, count connections, turn away a client over the
 * connection limit with memcached's words, and close everything on shutdown. What happens on an
 * accepted socket is the phase's business (`serve`).
 * @module
 */
import { createServer, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { errorReply } from '../protocol/errors.ts';
import type { ServerCounters } from './server-counters.ts';

/** Options for {@link listenTcp}. */
export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  readonly counters: ServerCounters;
  readonly log: Logger;
  /** Called for each accepted socket within the limit. */
  readonly serve: (socket: Socket) => void;
}

/** A listening server. */
export interface TcpListener {
  readonly address: { host: string; port: number };
  /** Open sockets (for a graceful shutdown's bookkeeping). */
  readonly sockets: ReadonlySet<Socket>;
  /** Stops accepting and destroys every open socket. */
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 = any free port) and resolves once bound. */
export async function listenTcp(options: ListenOptions): Promise<TcpListener> {
  const { counters, log } = options;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    if (sockets.size >= options.maxConnections) {
      // Like memcached: say why, then hang up, so the client does not wait on a dead socket.
      counters.connectionRejected();
      socket.on('error', () => undefined);
      socket.end(errorReply('TOO_MANY_CONNECTIONS'));
      return;
    }
    sockets.add(socket);
    counters.connectionOpened();
    socket.once('close', () => {
      sockets.delete(socket);
      counters.connectionClosed();
    });
    options.serve(socket);
  });
  server.on('error', (error) => log.error({ err: error }, 'server error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const address = typeof bound === 'object' && bound ? { host: bound.address, port: bound.port } : { host: options.host, port: options.port };
  return {
    address,
    sockets,
    close(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}
