/**
 * The floor a Node server cannot go under: a `net.Server` that accepts connections and keeps
 * them, with no handler on the sockets and no protocol. What a phase holds per idle connection
 * above this is its own. Prints the ready line every phase prints, so the bench starts it like one.
 *
 *   node --import tsx shared/bench/bare-server.ts [--host 127.0.0.1] [--port 0]
 * @module
 */
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** This file, for starting it as a process. */
export const BARE_SERVER_ENTRY = fileURLToPath(import.meta.url);

/** A peer's reset must not end the process: one function shared by every socket, not a closure each. */
function ignoreError(): void {}

/** Starts the bare server when this file is the program (importing it only reads the entry path). */
function main(): void {
  const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' } } });
  // An accepted socket stays alive through its libuv handle: nothing needs to hold it.
  const server = createServer((socket: Socket) => socket.on('error', ignoreError));
  server.listen({ host: values.host, port: Number(values.port) }, () => {
    const address = server.address();
    if (address !== null && typeof address === 'object') console.log(`kvlab bare listening on ${address.address}:${address.port}`);
  });
  // The kernel closes every socket with the process.
  process.once('SIGTERM', () => process.exit(0));
  process.once('SIGINT', () => process.exit(0));
}

if (process.argv[1] === BARE_SERVER_ENTRY) main();
