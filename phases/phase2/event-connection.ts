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
 * is released even if its client never reads or closes. That, the socket's events, the drain and
 * the edge's hold and release are the same for every event-loop connection, and live in
 * event-connection-base.ts; this file is the turn (exercise 2.4).
 * @module
 */
import { Step, type Session } from '../../shared/protocol/session.ts';
import type { CommitWaiter } from '../../shared/runtime/commit-gate.ts';
import { writeReplies } from '../../shared/runtime/write-replies.ts';
import { EventConnectionBase } from './event-connection-base.ts';

export type { ConnectionSettings } from './event-connection-base.ts';

/** Serves one socket on the event loop until it closes. */
export class EventConnection extends EventConnectionBase {
  /** The turn's replies wait for its writes to be committed (see CommitGate), and the step it ended on. */
  private committing = false;
  private heldStep: Step = Step.NeedMore;
  /** Told when the held replies may leave; made on the first wait, so a server without a gate pays nothing. */
  private commitWaiter: CommitWaiter | null = null;

  /** Executes up to one turn of buffered requests, writes their replies at once, then decides what next. */
  protected serve(): void {
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
    // Large values may be lent by the store instead of copied (zero-copy, phase 4's slab store).
    this.lendValues();
    try {
      for (; served < turn && session.out.bytes <= budget; served++) {
        step = session.step();
        if (step !== Step.Continue) break;
      }
    } finally {
      this.endLending();
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
    // Everything read has been served: wait for more (the idle session goes back to the pool), or — shutting down — close.
    if (this.draining) return this.close();
    this.waitForBytes();
  }

  private makeCommitWaiter(): CommitWaiter {
    return { committed: () => this.onCommitted(), failed: () => this.onCommitFailed() };
  }

  private onCommitted(): void {
    this.committing = false;
    if (this.closed || this.session === null) return this.dropLent();
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
    if (this.closed) return this.dropLent();
    // The held replies would acknowledge writes that may not be on disk: none of them is sent.
    this.session?.out.take();
    this.dropLent();
    this.close();
  }

  /** All the replies of the turn in one write (one writev for large batches): see write-replies.ts. */
  protected flush(session: Session): void {
    writeReplies(this.socket, session.out, this.settings.counters, this.sentCallback());
  }
}
