/**
 * A tiny memcached-like text server for the fuzzer's own tests: just enough of the protocol for
 * the canary, the sync probe and `stats` (set/get/delete, everything else ERROR), and one
 * deliberate defect of choice, so a test can prove that the fuzzer notices it.
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';

/**
 * The defect to build in: `leak` forgets a connection it closes itself or that the client resets
 * (it counts down on a client FIN only); `drop` empties the store on a line over 100 bytes;
 * `stall` stops answering a connection, without closing it, after a NUL byte; `crash` stops
 * listening and drops every connection at its 100th connection.
 */
export type Defect = 'none' | 'leak' | 'drop' | 'stall' | 'crash';

/** The connection at which the `crash` defect strikes: after the canary and a few sessions. */
const CRASH_AT_CONNECTION = 100;

/** A running tiny server. */
export interface TinyServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const STORAGE = new Set(['set', 'add', 'replace', 'append', 'prepend', 'cas']);
/** memcached's limits: a 2048-byte line without a newline is hung up on; values up to 1 MiB. */
const MAX_LINE = 2048;
const MAX_VALUE = 1024 * 1024;

/** Starts the server on a free loopback port. */
export async function startTinyServer(defect: Defect): Promise<TinyServer> {
  const store = new Map<string, { flags: string; value: Buffer }>();
  let connections = 0;
  const sockets = new Set<Socket>();

  let accepted = 0;
  const serve = (socket: Socket): void => {
    sockets.add(socket);
    connections++;
    if (defect === 'crash' && ++accepted === CRASH_AT_CONNECTION) {
      server.close();
      for (const open of sockets) open.destroy();
      return;
    }
    let counted = true;
    const release = (): void => {
      if (counted) connections--;
      counted = false;
    };
    socket.on('end', release);
    if (defect !== 'leak') socket.on('close', release);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    let input = Buffer.alloc(0);
    let stalled = false;
    socket.on('data', (chunk: Buffer) => {
      input = Buffer.concat([input, chunk]);
      for (;;) {
        if (stalled) return;
        const newline = input.indexOf(0x0a);
        if (newline < 0) {
          if (input.length > MAX_LINE) socket.destroy();
          return;
        }
        const line = input.toString('latin1', 0, newline).replace(/\r$/, '');
        if (defect === 'stall' && line.includes('\x00')) {
          stalled = true;
          return;
        }
        if (defect === 'drop' && line.length > 100) store.clear();
        const tokens = line.split(' ').filter((token) => token.length > 0);
        const command = tokens[0] ?? '';
        if (STORAGE.has(command)) {
          const length = /^\d+$/.test(tokens[4] ?? '') ? Number(tokens[4]) : -1;
          if (length < 0 || length > MAX_VALUE || tokens[1] === undefined) {
            input = input.subarray(newline + 1);
            socket.write('CLIENT_ERROR bad command line format\r\n');
            continue;
          }
          // Wait for the whole data block and its CRLF.
          if (input.length < newline + 1 + length + 2) return;
          const value = input.subarray(newline + 1, newline + 1 + length);
          const terminator = input.toString('latin1', newline + 1 + length, newline + 3 + length);
          input = input.subarray(newline + 3 + length);
          if (terminator !== '\r\n') socket.write('CLIENT_ERROR bad data chunk\r\n');
          else {
            store.set(tokens[1], { flags: tokens[2] ?? '0', value: Buffer.from(value) });
            if (!tokens.includes('noreply')) socket.write('STORED\r\n');
          }
          continue;
        }
        input = input.subarray(newline + 1);
        if (command === 'get' || command === 'gets') {
          for (const key of tokens.slice(1)) {
            const item = store.get(key);
            if (item) socket.write(Buffer.concat([Buffer.from(`VALUE ${key} ${item.flags} ${item.value.length}\r\n`), item.value, Buffer.from('\r\n')]));
          }
          socket.write('END\r\n');
        } else if (command === 'delete') socket.write(store.delete(tokens[1] ?? '') ? 'DELETED\r\n' : 'NOT_FOUND\r\n');
        else if (command === 'stats') socket.write(`STAT curr_connections ${connections}\r\nEND\r\n`);
        else if (command === 'version') socket.write('VERSION tiny\r\n');
        else if (command === 'quit') {
          socket.destroy();
          return;
        } else socket.write('ERROR\r\n');
      }
    });
  };

  const server: Server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the tiny server has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      // A crashed server has closed already: close() then reports ERR_SERVER_NOT_RUNNING.
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
