/**
 * The server side of the gather bench (gather-bench.ts): a loop that answers `get`-shaped replies
 * with a value that lives in a SharedArrayBuffer, as the slab store's values do, written one of
 * two ways. **copy**: every reply of a read — header, value, trailer — copied into one new buffer,
 * one `write`. **gather**: the header and trailer as small buffers and the value as a *view* over
 * the shared memory, corked into one `writev`, so the value's bytes are never copied in userland.
 * Nothing else happens here (no parsing, no hashing), so the difference is the write path's.
 *
 * A client's first line is `<copy|gather> <value bytes>\n`; after it, every byte it sends asks for
 * one reply. Prints `listening on 127.0.0.1:PORT` once ready.
 * @module
 */
import { createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { MAX_VALUE_BYTES, REPLY_TRAILER, replyHeader, valueByte, type WriteMode } from './reply-shape.ts';

/** The shared memory the values are served from, as a store's are. */
function makeStore(): SharedArrayBuffer {
  const memory = new SharedArrayBuffer(MAX_VALUE_BYTES);
  const bytes = new Uint8Array(memory);
  for (let i = 0; i < bytes.length; i++) bytes[i] = valueByte(i);
  return memory;
}

/** Writes `count` replies of the connection's size to `socket`, by its mode. */
function reply(socket: Socket, mode: WriteMode, header: Buffer, value: Buffer, count: number): void {
  if (mode === 'copy') {
    const one = header.length + value.length + REPLY_TRAILER.length;
    const out = Buffer.allocUnsafe(one * count);
    for (let i = 0, at = 0; i < count; i++, at += one) {
      header.copy(out, at);
      value.copy(out, at + header.length);
      REPLY_TRAILER.copy(out, at + header.length + value.length);
    }
    socket.write(out);
    return;
  }
  socket.cork();
  for (let i = 0; i < count; i++) {
    socket.write(header);
    socket.write(value);
    socket.write(REPLY_TRAILER);
  }
  socket.uncork();
}

/** Serves one connection: its first line picks the mode and size; each later byte is one request. */
function serve(socket: Socket, store: SharedArrayBuffer): void {
  let line = '';
  let mode: WriteMode | null = null;
  let header: Buffer = Buffer.alloc(0);
  let value: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    let requests = chunk.length;
    if (mode === null) {
      const end = chunk.indexOf(0x0a);
      line += chunk.toString('latin1', 0, end === -1 ? chunk.length : end);
      if (end === -1) return;
      const [wanted, size] = line.split(' ');
      if ((wanted !== 'copy' && wanted !== 'gather') || !(Number(size) >= 0 && Number(size) <= MAX_VALUE_BYTES)) {
        socket.destroy();
        return;
      }
      mode = wanted;
      header = replyHeader(Number(size));
      // A view: the reply's value is the shared memory itself, never copied out of it.
      value = Buffer.from(store, 0, Number(size));
      requests = chunk.length - end - 1;
    }
    if (requests > 0) reply(socket, mode, header, value, requests);
  });
  socket.on('error', () => socket.destroy());
}

/** Starts the server on `port` (0: a free one) and prints the ready line. */
function main(): void {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
  const store = makeStore();
  const server = createServer((socket) => serve(socket, store));
  server.listen(Number(values.port), '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') console.log(`gather bench reply server listening on 127.0.0.1:${address.port}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
