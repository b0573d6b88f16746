/**
 * How a server ends a connection it has decided to close (quit, hopeless input, a client over the
 * connection limit, a shutdown): the replies already written go out, then a FIN. A socket that is
 * paused with unread input never sees the client's FIN, so a plain `end()` could keep it open for
 * good; instead the socket is read on, and what arrives is thrown away, until the client closes
 * its side — or, at the latest, after a short linger, when it is destroyed.
 * @module
 */
import type { Socket } from 'node:net';

/**
 * How long a closing connection waits for its client to close before it is destroyed. Long enough
 * for a client that is reading to take the last replies (a round trip on any sane network), short
 * enough that a client that neither reads nor closes gives its slot back within seconds.
 */
export const LINGER_MS = 2000;

/**
 * Ends `socket` after the replies already written, discards any further input, and destroys it if
 * the client has not closed within `lingerMs`. Idempotent: calling it on a closing socket does nothing.
 * `lingerMs` null: no timer — for a connection closed by a shutdown's drain, whose deadline is the
 * shutdown's own (so a client slow to take its last replies gets them, up to that deadline).
 */
export function closeAfterReplies(socket: Socket, lingerMs: number | null = LINGER_MS): void {
  if (socket.destroyed || socket.writableEnded) return;
  socket.end();
  // Read on so the client's FIN (or reset) is seen even if input was left unread; the connection's
  // own 'data' handler must ignore what comes now. With allowHalfOpen off, the FIN completes the close.
  socket.resume();
  if (lingerMs === null) return;
  const linger = setTimeout(() => socket.destroy(), lingerMs);
  // The timer alone must not keep a process alive that is otherwise done.
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
}
