/**
 * How a turn's replies leave for the socket, whatever drives the connection (callbacks or an
 * async loop). Small pieces — status lines, headers, short values — are joined into one buffer,
 * because handing libuv one iovec per ten-byte line costs more than copying them; a piece of
 * {@link GATHER_FROM_BYTES} or more (a value) is handed over as it is, and the pieces of the turn
 * leave corked, in one `writev`, so that no value is copied a second time on its way out.
 *
 * The threshold is measured (`npm run bench:gather`, docs/phase4-memory.md): on this machine,
 * copying a reply costs less server CPU than gathering it below about 1 KiB of value, and more
 * above, at one request in flight per connection as at sixteen; at 16 KiB gathering takes 40 % of
 * copying's CPU, at 1 MiB 28 %.
 * @module
 */
import type { Socket } from 'node:net';
import type { ReplyBuffer } from '../protocol/session.ts';
import type { ServerCounters } from './server-counters.ts';

/** A piece at least this long is written as it is; shorter neighbours are joined into one buffer. */
export const GATHER_FROM_BYTES = 1024;

/**
 * The pieces to hand to the socket: every run of pieces shorter than {@link GATHER_FROM_BYTES}
 * joined into one buffer, every longer piece as it is, in order.
 */
export function coalesce(chunks: readonly Buffer[]): Buffer[] {
  const pieces: Buffer[] = [];
  let runStart = 0;
  let runBytes = 0;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    if (chunk.length < GATHER_FROM_BYTES) {
      runBytes += chunk.length;
      continue;
    }
    pushRun(pieces, chunks, runStart, i, runBytes);
    pieces.push(chunk);
    runStart = i + 1;
    runBytes = 0;
  }
  pushRun(pieces, chunks, runStart, chunks.length, runBytes);
  return pieces;
}

/** Adds chunks[start, end) to `pieces` as one buffer (or as itself when it is one chunk). */
function pushRun(pieces: Buffer[], chunks: readonly Buffer[], start: number, end: number, bytes: number): void {
  if (end - start === 1) pieces.push(chunks[start]!);
  else if (end > start) pieces.push(Buffer.concat(chunks.slice(start, end), bytes));
}

/** True when some chunk is long enough to leave as it is. */
function hasValuePiece(chunks: readonly Buffer[]): boolean {
  for (let i = 0; i < chunks.length; i++) if (chunks[i]!.length >= GATHER_FROM_BYTES) return true;
  return false;
}

/**
 * Writes and empties `out`, counting the bytes in `counters`. Returns what `socket.write` says: false
 * once the socket holds more than its high-water mark (the caller's cue for backpressure).
 *
 * `sent`, when given, is called once the socket is done with every piece — sent, or dropped because
 * the socket was destroyed first — so pieces that are views of a store's memory (pinned values, see
 * the store's `valuePins`) can be given back then and not before.
 */
export function writeReplies(socket: Socket, out: ReplyBuffer, counters: ServerCounters, sent?: () => void): boolean {
  const bytes = out.bytes;
  if (bytes === 0) {
    sent?.();
    return true;
  }
  counters.written(bytes);
  const room = writeChunks(socket, out.chunks, bytes, sent);
  // Emptied in place rather than taken: the socket holds the pieces, not the list, so the reply
  // keeps one list for every turn instead of making a new one per turn (a turn is a request at
  // one request in flight).
  out.truncate(0);
  return room;
}

/** Hands `chunks` (`bytes` in all) to the socket: one piece when it can, else a corked batch. */
function writeChunks(socket: Socket, chunks: readonly Buffer[], bytes: number, sent: (() => void) | undefined): boolean {
  if (chunks.length === 1) return socket.write(chunks[0]!, sent);
  // The common turn — status lines and small values only — is one join, with no list of pieces.
  if (!hasValuePiece(chunks)) return socket.write(Buffer.concat(chunks, bytes), sent);
  const pieces = coalesce(chunks);
  if (pieces.length === 1) return socket.write(pieces[0]!, sent);
  socket.cork();
  let room = true;
  // A stream calls write callbacks in order, so the last piece's says that all of them are done.
  for (let i = 0; i < pieces.length; i++) room = socket.write(pieces[i]!, i === pieces.length - 1 ? sent : undefined);
  socket.uncork();
  return room;
}
