/**
 * How a turn's replies leave for the socket, whatever drives the connection (callbacks or an
 * async loop): one buffer when they are small — one small copy is cheaper than handing libuv
 * hundreds of tiny iovecs — and as they are, corked into one writev, when they are large.
 * @module
 */
import type { Socket } from 'node:net';
import type { ReplyBuffer } from '../protocol/session.ts';
import type { ServerCounters } from './server-counters.ts';

/** Replies smaller than this in all are joined into one buffer before writing. */
export const JOIN_BELOW_BYTES = 16 * 1024;

/**
 * Writes and empties `out`, counting the bytes in `counters`. Returns what `socket.write` says: false
 * once the socket holds more than its high-water mark (the caller's cue for backpressure).
 */
export function writeReplies(socket: Socket, out: ReplyBuffer, counters: ServerCounters): boolean {
  const bytes = out.bytes;
  if (bytes === 0) return true;
  const chunks = out.take();
  counters.written(bytes);
  if (chunks.length === 1) return socket.write(chunks[0]!);
  if (bytes < JOIN_BELOW_BYTES) return socket.write(Buffer.concat(chunks, bytes));
  socket.cork();
  let room = true;
  for (const chunk of chunks) room = socket.write(chunk);
  socket.uncork();
  return room;
}
