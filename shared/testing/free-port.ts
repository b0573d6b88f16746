/**
 * A loopback port that is free now, for a program that must be told its port before it binds
 * (Prometheus, nutcracker: neither listens on port 0 and reports back). Bind port 0, read the
 * port, let it go; the window before the program binds it is the only race, and only with other
 * tests on this machine.
 * @module
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

/** A free port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
