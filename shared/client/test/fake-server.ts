/**
 * A tiny scripted TCP server for client tests: it hands each received line to a handler that may
 * write any bytes back (or nothing, or close), so tests can stage slow, silent or broken servers.
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/** Called for each line a client sends (without its CRLF). */
export type LineHandler = (socket: Socket, line: string) => void;

/** A running fake server. */
export interface FakeServer {
  readonly port: number;
  /** Sockets currently open, server side. */
  readonly sockets: Set<Socket>;
  /** How many connections were ever accepted. */
  accepted(): number;
  /** Resolves when the server has seen `count` connections close. */
  closedConnections(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a fake server on an ephemeral loopback port. */
export async function startFakeServer(handler: LineHandler): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let closed = 0;
  const closeWaiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let lf = buffered.indexOf('\n'); lf !== -1; lf = buffered.indexOf('\n')) {
        const line = buffered.slice(0, lf).replace(/\r$/, '');
        buffered = buffered.slice(lf + 1);
        handler(socket, line);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      closed++;
      for (const waiter of closeWaiters.filter((w) => closed >= w.count)) waiter.resolve();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake server has no TCP address');
  return {
    port: address.port,
    sockets,
    accepted: () => accepted,
    closedConnections: (count) =>
      closed >= count ? Promise.resolve() : new Promise((resolve) => closeWaiters.push({ count, resolve })),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A handler that answers `version` with `VERSION fake` and ignores everything else. */
export const versionOnly: LineHandler = (socket, line) => {
  if (line === 'version') socket.write('VERSION fake\r\n');
};
