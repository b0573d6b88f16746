/**
 * The accept side every phase shares: listen, count connections, turn away a client over the
 * connection limit with memcached's words, and — on shutdown — stop accepting apart from closing
 * the connections, so a phase can drain between the two. What happens on an accepted socket is
 * the phase's business (`serve`); how sockets are made is the server factory's (plain TCP by
 * default), so another transport slots in without touching the rest.
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import type { Logger } from 'pino';
import { errorReply } from '../protocol/errors.ts';
import { closeAfterReplies } from './connection-close.ts';
import type { ServerCounters } from './server-counters.ts';
import type { ConnectionGuard } from './connection-guard.ts';

/** Makes the listening server, calling `onConnection` for each accepted socket. */
export type ServerFactory = (onConnection: (socket: Socket) => void) => Server;

/** How a unix socket's address is written in the ready line and the logs. */
export const UNIX_PREFIX = 'unix:';

/** Removes `path` if it is a socket file (a dead server's); throws if it is anything else. */
function removeStaleSocket(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a unix socket: not removing it`);
  unlinkSync(path);
}

/**
 * The file descriptor under a listening server. Node keeps it on the server's internal handle
 * (`_handle.fd`), which no public API shows; Node 20 has no other way to let a second event loop
 * accept from the same socket (`reusePort` arrives in Node 22.12).
 */
function descriptorOf(server: Server): number | null {
  const fd = (server as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : null;
}

/** A turned-away client's socket errors (a reset while being told why) are of no interest. */
function ignoreError(): void {}

/** Plain TCP. */
export const tcpServerFactory: ServerFactory = (onConnection) => createServer(onConnection);

/** Options for {@link listenTcp}. */
export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  readonly counters: ServerCounters;
  readonly log: Logger;
  /** Called for each accepted socket within the limit. */
  readonly serve: (socket: Socket) => void;
  /** Called once a served socket has closed, after the listener's own bookkeeping. */
  readonly closed?: (socket: Socket) => void;
  /** How sockets are accepted (default: plain TCP). */
  readonly createServer?: ServerFactory;
  /** A check beyond the total limit (a {@link ConnectionGuard}'s); false turns the socket away as over the limit. */
  readonly admit?: ConnectionGuard['admit'];
  /**
   * Listen on this unix socket instead of `host:port` (memcached's `-s`). A stale socket file left
   * by a server that died is removed first, as memcached does; any other file there is an error.
   */
  readonly path?: string;
  /**
   * The unix socket's permissions (memcached's `-a`, 0700 there by default): connecting takes write
   * permission on the file. Set once the socket is bound and before the first connection is
   * served; the process's umask governs the moment between (memcached sets the umask around its
   * bind instead, which a worker thread may not do). Unset: as the umask leaves it.
   */
  readonly pathMode?: number;
  /**
   * Listen on this handle instead of `host:port`: an already listening socket's own copy (phase 4's
   * `--threads`: each loop thread adopts a copy of the one listening socket, made by
   * phases/phase4/threads/listener-copy.ts, and the kernel hands each connection to one of them).
   */
  readonly handle?: object;
}

/** A listening server. */
export interface TcpListener {
  readonly address: { host: string; port: number };
  /**
   * The listening socket's file descriptor, for making a copy another thread listens on (phase 4's
   * `--threads`); null where Node does not show it (a server factory's own handle, Windows).
   */
  readonly descriptor: number | null;
  /** Served connections that are open (for a graceful shutdown's bookkeeping). */
  readonly sockets: ReadonlySet<Socket>;
  /**
   * Stops accepting; open connections carry on. Resolves once the listening socket is closed and
   * every connection is gone — so only after the connections were closed or destroyed as well.
   */
  stopAccepting(): Promise<void>;
  /** Destroys every open socket, served or being turned away: the forced end of a shutdown. */
  destroyConnections(): void;
  /** Stops accepting and destroys every open socket; resolves when all is closed. */
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 = any free port) and resolves once bound. */
export async function listenTcp(options: ListenOptions): Promise<TcpListener> {
  const { counters, log } = options;
  const sockets = new Set<Socket>();
  /** Clients over the limit, being told so: they count for nothing but must not outlive a shutdown. */
  const turnedAway = new Set<Socket>();
  // One 'close' handler for all served sockets and one for those turned away, made once per
  // listener: Node calls them with the socket as `this`. A closure (or a `once` wrapper) per
  // socket would cost every idle connection a few hundred bytes (docs/phase4-scaling.md).
  const onServedClose = function (this: Socket): void {
    sockets.delete(this);
    counters.connectionClosed();
    options.closed?.(this);
  };
  const onTurnedAwayClose = function (this: Socket): void {
    turnedAway.delete(this);
  };
  const server = (options.createServer ?? tcpServerFactory)((socket) => {
    // The total first, reserved in the shared count (loops on other threads count there too),
    // then the phase's own checks (phase 4: per source address), which give the place back.
    const within = counters.reserveConnection(options.maxConnections);
    if (!within || (options.admit !== undefined && !options.admit(socket))) {
      if (within) counters.connectionClosed();
      // Like memcached: say why, then hang up, so the client does not wait on a dead socket. The
      // close reads on and lingers briefly, so a client that sent bytes and never closes cannot
      // keep the socket (or a shutdown) waiting.
      counters.connectionRejected();
      socket.on('error', ignoreError);
      turnedAway.add(socket);
      socket.on('close', onTurnedAwayClose);
      socket.write(errorReply('TOO_MANY_CONNECTIONS'));
      closeAfterReplies(socket);
      return;
    }
    sockets.add(socket);
    counters.connectionAdmitted();
    // 'close' comes once per socket, so `on` does what `once` would, without its wrapper.
    socket.on('close', onServedClose);
    options.serve(socket);
  });
  server.on('error', (error) => log.error({ err: error }, 'server error'));
  if (options.path !== undefined) removeStaleSocket(options.path);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const where = options.handle ?? (options.path !== undefined ? { path: options.path } : { host: options.host, port: options.port });
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Before this function returns, so before the event loop can serve a connection.
  if (options.path !== undefined && options.pathMode !== undefined) {
    try {
      chmodSync(options.path, options.pathMode);
    } catch (error) {
      server.close();
      throw error;
    }
  }
  const bound = server.address();
  // A unix socket has no port: its address is written `unix:<path>` (port 0), as formatAddress shows it.
  const address = options.path !== undefined
    ? { host: `${UNIX_PREFIX}${options.path}`, port: 0 }
    : typeof bound === 'object' && bound ? { host: bound.address, port: bound.port } : { host: options.host, port: options.port };
  let closed: Promise<void> | null = null;
  const stopAccepting = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
    return closed;
  };
  const destroyConnections = (): void => {
    for (const socket of sockets) socket.destroy();
    for (const socket of turnedAway) socket.destroy();
  };
  return {
    address,
    descriptor: descriptorOf(server),
    sockets,
    stopAccepting,
    destroyConnections,
    close(): Promise<void> {
      const done = stopAccepting();
      destroyConnections();
      return done;
    },
  };
}
