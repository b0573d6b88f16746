/**
 * The baseline for the TLS bench's memory figure: Node's own TCP or TLS server with nothing of
 * KV Lab in it, answering every chunk with one line. What an idle connection costs here is what
 * Node and OpenSSL cost, so the bench can tell their share from the server's.
 *
 *   node --import tsx phases/phase4/tls/bench/bare-node-server.ts plain|tls CERT KEY
 * @module
 */
import { createServer as createPlainServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';

const [kind, cert, key] = process.argv.slice(2);
const REPLY = Buffer.from('VERSION bare\r\n');
const answer = (socket: Socket) => {
  socket.on('data', () => socket.write(REPLY));
  socket.on('error', () => undefined);
};
const server: Server = kind === 'tls'
  ? createTlsServer({ cert: readFileSync(cert!), key: readFileSync(key!) }, answer)
  : createPlainServer(answer);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address !== null) console.log(`bare ${kind} listening on 127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
