/**
 * A loopback TCP proxy that a test can use to break connections to a real server: every accepted
 * connection is piped to the server, and `cut()` tears down all of them at once, as a network
 * failure or a server restart would, while the server itself keeps running.
 * @module
 */
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';

/** A running proxy. */
export interface CutProxy {
  /** The proxy's port: connect here instead of to the server. */
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Destroys every proxied connection, both sides; resolves when they have all closed. */
  cut(): Promise<void>;
  /** Cuts every connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a proxy on an ephemeral loopback port in front of `127.0.0.1:upstreamPort`. */
export async function startCutProxy(upstreamPort: number): Promise<CutProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    accepted++;
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort });
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // Either side closing closes the pair, as one TCP connection through a middlebox would.
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  const cut = async () => {
    const closing = [...sockets].map((socket) => (socket.closed ? Promise.resolve() : once(socket, 'close')));
    for (const socket of sockets) socket.destroy();
    await Promise.all(closing);
  };
  return {
    port: address.port,
    accepted: () => accepted,
    cut,
    close: async () => {
      await cut();
      server.close();
      await once(server, 'close');
    },
  };
}
