/**
 * One client connection written as a coroutine: an `async` loop that reads the socket with
 * `for await`, hands each chunk to the connection's protocol session, executes what it can, and
 * awaits the write of the replies when the socket is full. The same rules as phase 2's
 * callback-driven connection, each now a line of sequential code:
 *
 * - **Backpressure** is an `await`: when the socket holds more than its high-water mark, the
 *   loop waits for 'drain' before it executes or reads anything more — and while it waits it
 *   does not pull from the socket, so the kernel's window pushes back on the client.
 * - **Fairness** is an `await` too: after `requestsPerTurn` requests the loop yields with
 *   `setImmediate` before executing more, so every other socket runs in between.
 *
 * The price is what the await machinery allocates: a promise (and the iterator's bookkeeping)
 * per read and per wait, where the callback connection allocates none — docs/coroutine.md
 * measures it.
 * @module
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { Logger } from 'pino';
import { createSession, Step, type Session, type SessionContext } from '../../shared/protocol/session.ts';
import { closeAfterReplies } from '../../shared/runtime/connection-close.ts';
import type { Connection } from '../../shared/runtime/connection.ts';
import type { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { writeReplies } from '../../shared/runtime/write-replies.ts';

/** Settings every connection shares. */
export interface CoroutineSettings {
  readonly context: SessionContext;
  readonly counters: ServerCounters;
  readonly log: Logger;
  readonly requestsPerTurn: number;
  /** Unwritten reply bytes past which the loop awaits 'drain' (the socket's own mark is set to it). */
  readonly writeHighWater: number;
}

/** Resolves when `socket` has room again, or has closed (then nothing will ever drain). */
async function room(socket: Socket): Promise<void> {
  if (socket.destroyed) return;
  const closed = new AbortController();
  try {
    await Promise.race([once(socket, 'drain', { signal: closed.signal }), once(socket, 'close', { signal: closed.signal })]);
  } catch (error) {
    // once() rejects on an 'error' event or on the abort below; the close that follows ends the loop.
    if ((error as Error).name !== 'AbortError') return;
  } finally {
    closed.abort();
  }
}

/** Serves one socket with an async loop until it closes. */
export class CoroutineConnection implements Connection {
  /** Shutting down: serve what has been read, then close instead of reading more. */
  private draining = false;
  /** The loop is waiting for the next chunk (not executing, not waiting to write). */
  private reading = false;
  private closing = false;

  constructor(
    private readonly socket: Socket,
    private readonly settings: CoroutineSettings,
  ) {
    socket.setNoDelay(true);
    socket.on('error', (error) => settings.log.debug({ err: error }, 'socket error'));
    this.run().catch((error: unknown) => {
      // The session answers a failing request itself; what reaches here is a bug in this loop.
      settings.log.error({ err: error }, 'connection loop failed; closing the connection');
      socket.destroy();
    });
  }

  drain(): void {
    if (this.draining) return;
    this.draining = true;
    // Waiting for input: nothing is in flight, so close now. Otherwise the loop closes once it has served what it read.
    if (this.reading) this.close();
  }

  private close(): void {
    if (this.closing) return;
    this.closing = true;
    // Drained by a shutdown, the shutdown's deadline bounds the close; otherwise the linger does.
    closeAfterReplies(this.socket, this.draining ? null : undefined);
  }

  private async run(): Promise<void> {
    const { socket, settings } = this;
    let session: Session | null = null;
    // destroyOnReturn false: leaving the loop must not destroy the socket, which closeAfterReplies
    // still reads from (to see the client's FIN) once the iterator has let go of it.
    const chunks = socket.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<Buffer>;
    let done = false;
    try {
      while (!done) {
        this.reading = true;
        const next = await chunks.next();
        this.reading = false;
        // The client closed, or a shutdown closed the idle connection while it waited here.
        if (next.done === true || this.closing) return;
        settings.counters.read(next.value.length);
        // The first byte picks the protocol for the life of the connection.
        session ??= createSession(next.value[0]!, settings.context);
        session.feed(next.value);
        done = (await this.serveBuffered(session)) === Step.Close || this.draining;
      }
    } finally {
      await chunks.return?.();
    }
    this.close();
  }

  /** Executes every complete request buffered, a turn at a time; returns the step it stopped on. */
  private async serveBuffered(session: Session): Promise<Step> {
    const { socket, settings } = this;
    for (;;) {
      // The client is not reading its replies: execute nothing more until the socket drains.
      if (socket.writableLength > settings.writeHighWater) {
        await room(socket);
        if (socket.destroyed) return Step.Close;
        continue;
      }
      // A turn ends at requestsPerTurn requests, or once its replies would pass the high-water
      // mark; the budget is positive here, so a turn always executes at least one request.
      const budget = settings.writeHighWater - socket.writableLength;
      let step: Step = Step.Continue;
      let served = 0;
      while (served < settings.requestsPerTurn && session.out.bytes <= budget) {
        step = session.step();
        if (step !== Step.Continue) break;
        served++;
      }
      writeReplies(socket, session.out, settings.counters);
      if (step !== Step.Continue) return step;
      if (socket.writableLength <= settings.writeHighWater) {
        // The turn ran out with requests still buffered: let every other connection run first.
        settings.counters.connectionYielded();
        await yieldToOthers();
      }
      if (socket.destroyed) return Step.Close;
    }
  }
}
