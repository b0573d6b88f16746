/**
 * One client connection on the event loop. Every read is fed to the connection's protocol
 * session; up to `requestsPerTurn` requests are executed at once and all their replies leave in a
 * single write. Two rules keep one client from hurting the others:
 *
 * - **Fairness**: after `requestsPerTurn` requests the connection stops reading and yields with
 *   setImmediate, so every other socket's I/O runs before it continues (memcached's `-R`).
 * - **Backpressure**: a turn also ends once its replies and the socket's unwritten bytes pass
 *   `writeHighWater`; when the socket then holds more than that (the client is not reading its
 *   replies), the connection stops reading and executing until 'drain'. Server memory per
 *   connection is therefore bounded by the high-water mark plus one reply, whatever the turn size.
 *
 * When the session says close (quit, hopeless input), the connection closes after its replies and
 * is released even if its client never reads or closes ({@link closeAfterReplies}).
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { createSession, Step, type Session, type SessionContext } from '../../shared/protocol/session.ts';
import type { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { closeAfterReplies } from '../../shared/runtime/connection-close.ts';
import type { Connection } from '../../shared/runtime/connection.ts';
import type { CommitGate, CommitWaiter } from '../../shared/runtime/commit-gate.ts';
import type { ConnectionGuard, ConnectionWatch, GuardedConnection } from '../../shared/runtime/connection-guard.ts';

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

/**
 * Replies smaller than this are joined into one buffer before writing: one small copy is cheaper
 * than handing libuv hundreds of tiny iovecs. Larger batches go out as they are, with writev.
 */
const JOIN_BELOW_BYTES = 16 * 1024;

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
  /** The turn's replies wait for its writes to be committed (see {@link CommitGate}), and the step it ended on. */
  private committing = false;
  private heldStep: Step = Step.NeedMore;
  /** Told when the held replies may leave; made on the first wait, so a server without a gate pays nothing. */
  private commitWaiter: CommitWaiter | null = null;
  /** The guard's view of this connection, told of reads and turns; null without a guard. */
  private readonly watch: ConnectionWatch | null;
  /** The guard holds the connection (its rate limit): nothing is read or served until released. */
  private held = false;
  /** The guard wants requests refused (reject mode); kept here for a session not made yet. */
  private refusing = false;

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
    this.watch = settings.guard === undefined ? null : settings.guard.watch(socket, this);
  }

  private readonly resumeAfterYield = (): void => {
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

  drain(): void {
    if (this.closed || this.draining) return;
    this.draining = true;
    // A shutdown serves what was read even from a client its guard was holding back.
    this.held = false;
    this.socket.pause();
    if (this.session === null) return this.close();
    this.serve();
  }

  private close(): void {
    this.closed = true;
    // Drained by a shutdown, the shutdown's deadline bounds the close; otherwise the linger does.
    closeAfterReplies(this.socket, this.draining ? null : undefined);
  }

  private onDrain(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.serve();
  }

  /** Executes up to one turn of buffered requests, writes their replies at once, then decides what next. */
  private serve(): void {
    const session = this.session;
    if (session === null || this.closed || this.blocked || this.yielded || this.held || this.committing) return;
    const { requestsPerTurn, writeHighWater, commit } = this.settings;
    const committedUpTo = commit === undefined ? 0 : commit.position();
    // Replies this turn may add before the socket passes the high-water mark.
    const budget = writeHighWater - this.socket.writableLength;
    let step: Step = Step.NeedMore;
    let served = 0;
    // A guard may allow fewer (the client's rate): the rest wait for a later turn.
    const turn = this.watch === null ? requestsPerTurn : this.watch.allowance(requestsPerTurn);
    for (; served < turn && session.out.bytes <= budget; served++) {
      step = session.step();
      if (step !== Step.Continue) break;
    }
    if (this.watch !== null) {
      // Told before the replies leave (or wait for a commit), so every request served is charged to
      // the client's rate; half a request is held only when the session waits for more of one.
      this.watch.turn(served, step === Step.NeedMore && session.midRequest, session.refusing);
    }
    // The turn wrote: its replies (reads too: they may show those writes) leave once the writes are durable.
    if (commit !== undefined && commit.position() !== committedUpTo && commit.wait(commit.position(), this.commitWaiter ??= this.makeCommitWaiter())) {
      this.committing = true;
      this.heldStep = step;
      this.socket.pause();
      return;
    }
    this.flush(session);
    if (step === Step.Close) return this.close();
    // Held for its client's rate (the watch was told of this turn above): the guard's release serves on.
    if (this.held) return;
    if (this.socket.writableLength > writeHighWater) {
      this.blocked = true;
      this.socket.pause();
      return;
    }
    if (step === Step.Continue) {
      // The turn ran out with requests still buffered: let every other connection run first.
      this.yielded = true;
      this.settings.counters.connectionYielded();
      this.socket.pause();
      setImmediate(this.resumeAfterYield);
      return;
    }
    // Everything read has been served: wait for more, or — shutting down — close.
    if (this.draining) return this.close();
    this.socket.resume();
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

  private makeCommitWaiter(): CommitWaiter {
    return { committed: () => this.onCommitted(), failed: () => this.onCommitFailed() };
  }

  private onCommitted(): void {
    this.committing = false;
    if (this.closed || this.session === null) return;
    // After quit nothing more is executed: send the held replies and close.
    if (this.heldStep === Step.Close) {
      this.flush(this.session);
      return this.close();
    }
    // Serve on: anything buffered meanwhile runs, and the held replies leave with its replies.
    this.serve();
  }

  private onCommitFailed(): void {
    this.committing = false;
    if (this.closed) return;
    // The held replies would acknowledge writes that may not be on disk: none of them is sent.
    this.session?.out.take();
    this.close();
  }

  private flush(session: Session): void {
    const bytes = session.out.bytes;
    if (bytes === 0) return;
    const chunks = session.out.take();
    this.settings.counters.written(bytes);
    if (chunks.length === 1) {
      this.socket.write(chunks[0]!);
    } else if (bytes < JOIN_BELOW_BYTES) {
      this.socket.write(Buffer.concat(chunks, bytes));
    } else {
      this.socket.cork();
      for (const chunk of chunks) this.socket.write(chunk);
      this.socket.uncork();
    }
  }
}
