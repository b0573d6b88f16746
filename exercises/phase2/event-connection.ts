/**
 * Exercise 2.4 — one connection on the event loop, with the two rules that keep one client from
 * hurting the others: fairness (serve at most `requestsPerTurn` requests, then yield) and
 * backpressure (stop reading a client that does not read its replies). Stands in for
 * phases/phase2/event-connection.ts.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { createSession, type Session, type SessionContext } from '../../shared/protocol/session.ts';
import type { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { closeAfterReplies } from '../../shared/runtime/connection-close.ts';
import type { Connection } from '../../shared/runtime/connection.ts';
import type { GuardedConnection } from '../../shared/runtime/connection-guard.ts';
import { todo } from '../../shared/course/todo.ts';

/** Settings every connection shares. */
export interface ConnectionSettings {
  readonly context: SessionContext;
  readonly counters: ServerCounters;
  readonly log: Logger;
  readonly requestsPerTurn: number;
  readonly writeHighWater: number;
}

/** Serves one socket on the event loop until it closes. */
export class EventConnection implements Connection, GuardedConnection {
  private session: Session | null = null;
  /** A yield (setImmediate) is scheduled: the connection had more buffered work than one turn. */
  private yielded = false;
  /** Reading is paused because the client is not reading its replies. */
  private blocked = false;
  private closed = false;
  /** Shutting down: serve what has been read, then close instead of reading more. */
  private draining = false;

  constructor(
    private readonly socket: Socket,
    private readonly settings: ConnectionSettings,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', (error) => settings.log.debug({ err: error }, 'socket error'));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  /** Made once, so that yielding allocates no closure per turn. */
  private readonly resumeAfterYield = (): void => {
    this.yielded = false;
    this.serve();
  };

  private onData(chunk: Buffer): void {
    this.settings.counters.read(chunk.length);
    // A closing connection reads on only to see its client go; what arrives now is not served.
    if (this.closed) return;
    // The first byte picks the protocol for the life of the connection.
    this.session ??= createSession(chunk[0]!, this.settings.context);
    this.session.feed(chunk);
    this.serve();
  }

  /** Graceful shutdown: read nothing more, serve what was read, then close (see serve). */
  drain(): void {
    if (this.closed || this.draining) return;
    this.draining = true;
    this.socket.pause();
    if (this.session === null) return this.close();
    this.serve();
  }

  /** Ends the socket after the replies; it is released even if the client neither reads nor closes. */
  private close(): void {
    this.closed = true;
    // Drained by a shutdown, the shutdown's deadline bounds the close; otherwise the linger does.
    closeAfterReplies(this.socket, this.draining ? null : undefined);
  }

  // Given: what phase 4's edge (its rate limit and deadlines) asks of a connection. Phases 2 and 3
  // pass no guard, so nothing calls these; the reference module keeps them out of serve's way.
  hold(): void {
    this.socket.pause();
  }

  release(): void {
    if (!this.closed && !this.draining) this.socket.resume();
  }

  refuse(on: boolean): void {
    if (this.session !== null) this.session.refusing = on;
  }

  kick(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onDrain(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.serve();
  }

  /**
   * TODO: serve one turn. Do nothing if there is no session, or the connection is closed, blocked
   * or has a yield pending. Call `session.step()` up to `requestsPerTurn` times, stopping at the
   * first result that is not Step.Continue (import Step from session.ts) — and stopping early once
   * `session.out.bytes` passes `writeHighWater - socket.writableLength`, so one turn of large
   * replies cannot overshoot the mark. Then flush() the replies. Then, in this order:
   * - Step.Close: `this.close()` and return.
   * - more than `writeHighWater` bytes unwritten (`socket.writableLength`): set blocked and
   *   `socket.pause()` — 'drain' (onDrain) resumes. Why: the client is not reading its replies.
   * - the turn ran out (last step was Continue): set yielded, pause, `setImmediate(resumeAfterYield)`.
   *   Why setImmediate and not process.nextTick: other sockets' I/O runs before it.
   * - otherwise (Step.NeedMore) everything read has been served: `this.close()` if draining
   *   (a graceful shutdown), else `socket.resume()` to wait for more bytes.
   */
  private serve(): void {
    todo('serve', { yielded: this.yielded, blocked: this.blocked, closed: this.closed });
  }

  /**
   * TODO: write every reply of the turn in one go: nothing if `session.out.bytes` is 0; else take
   * the chunks (`session.out.take()`), count them (`counters.written(bytes)`) and write them as
   * ONE socket.write — Buffer.concat them when there are several. Why: one write per turn instead
   * of one per reply is what makes pipelining fast.
   */
  private flush(session: Session): void {
    todo('flush', session.out.bytes);
  }
}
