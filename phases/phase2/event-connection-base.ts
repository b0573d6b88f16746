/**
 * What every event-loop connection does around a turn: it wires the socket's events, picks the
 * session by the first byte, drains for a graceful shutdown, closes so that the socket is
 * released even from a client that never reads, and answers what phase 4's edge asks of a
 * connection (hold, release, refuse, kick). The turn itself — `serve()` and `flush()`, the lesson
 * of exercise 2.4 — is left to {@link "phases/phase2/event-connection"!EventConnection}, and to the
 * learner's stub, which both extend this class.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { createSession, type Session, type SessionContext } from '../../shared/protocol/session.ts';
import type { CommitGate } from '../../shared/runtime/commit-gate.ts';
import { closeAfterReplies } from '../../shared/runtime/connection-close.ts';
import type { ConnectionGuard, ConnectionWatch, GuardedConnection } from '../../shared/runtime/connection-guard.ts';
import type { Connection } from '../../shared/runtime/connection.ts';
import type { ServerCounters } from '../../shared/runtime/server-counters.ts';

/** Settings every connection shares. */
export interface ConnectionSettings {
  readonly context: SessionContext;
  readonly counters: ServerCounters;
  readonly log: Logger;
  readonly requestsPerTurn: number;
  readonly writeHighWater: number;
  /** What the replies of a turn that wrote wait for (phase 4's log under `--fsync always`); none, and replies leave at once. */
  readonly commit?: CommitGate;
  /** Watches each connection (phase 4's edge: limits and timeouts); none, and nothing is watched. */
  readonly guard?: ConnectionGuard;
}

/** One socket on the event loop, but for what a turn does. */
export abstract class EventConnectionBase implements Connection, GuardedConnection {
  protected session: Session | null = null;
  /** A yield (setImmediate) is scheduled: the connection had more buffered work than one turn. */
  protected yielded = false;
  /** Reading is paused because the client is not reading its replies. */
  protected blocked = false;
  protected closed = false;
  /** Shutting down: serve what has been read, then close instead of reading more. */
  protected draining = false;
  /** The guard's view of this connection, told of reads and turns; null without a guard. */
  protected readonly watch: ConnectionWatch | null;
  /** The guard holds the connection (its rate limit): nothing is read or served until released. */
  protected held = false;
  /** The guard wants requests refused (reject mode); kept here for a session not made yet. */
  private refusing = false;

  constructor(
    protected readonly socket: Socket,
    protected readonly settings: ConnectionSettings,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', (error) => settings.log.debug({ err: error }, 'socket error'));
    socket.on('close', () => {
      this.closed = true;
    });
    this.watch = settings.guard === undefined ? null : settings.guard.watch(socket, this);
  }

  /** Serves one turn of buffered requests and decides what comes next. */
  protected abstract serve(): void;

  /** Writes every reply of the turn. */
  protected abstract flush(session: Session): void;

  /** Made once, so that yielding allocates no closure per turn. */
  protected readonly resumeAfterYield = (): void => {
    this.yielded = false;
    this.serve();
  };

  private onData(chunk: Buffer): void {
    this.settings.counters.read(chunk.length);
    // A closing connection reads on only to see its client go; what arrives now is not served.
    if (this.closed) return;
    this.watch?.read();
    // The first byte picks the protocol for the life of the connection.
    if (this.session === null) {
      this.session = createSession(chunk[0]!, this.settings.context);
      this.session.refusing = this.refusing;
    }
    this.session.feed(chunk);
    this.serve();
  }

  /** Graceful shutdown: read nothing more, serve what was read, then close (see serve). */
  drain(): void {
    if (this.closed || this.draining) return;
    this.draining = true;
    // A shutdown serves what was read even from a client its guard was holding back.
    this.held = false;
    this.socket.pause();
    if (this.session === null) return this.close();
    this.serve();
  }

  /** Ends the socket after the replies; it is released even if the client neither reads nor closes. */
  protected close(): void {
    this.closed = true;
    // Drained by a shutdown, the shutdown's deadline bounds the close; otherwise the linger does.
    closeAfterReplies(this.socket, this.draining ? null : undefined);
  }

  private onDrain(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.serve();
  }

  hold(): void {
    if (this.held || this.closed) return;
    this.held = true;
    this.socket.pause();
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.closed) return;
    if (this.session !== null) return this.serve();
    if (!this.draining) this.socket.resume();
  }

  refuse(on: boolean): void {
    this.refusing = on;
    if (this.session !== null) this.session.refusing = on;
  }

  kick(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }
}
