/**
 * Exercise 2.4 — one connection on the event loop, with the two rules that keep one client from
 * hurting the others: fairness (serve at most `requestsPerTurn` requests, then yield) and
 * backpressure (stop reading a client that does not read its replies). Stands in for
 * phases/phase2/event-connection.ts.
 * @module
 */
import type { Session } from '../../shared/protocol/session.ts';
import { todo } from '../../shared/course/todo.ts';
import { EventConnectionBase } from '../../phases/phase2/event-connection-base.ts';

export type { ConnectionSettings } from '../../phases/phase2/event-connection-base.ts';

/**
 * Serves one socket on the event loop until it closes. Given, in EventConnectionBase: the socket's
 * events (each read feeds `this.session` — taken from the server's pool when bytes arrive, of the
 * protocol the first byte picked — then calls serve; 'drain' clears `this.blocked` and calls
 * serve), `drain()` for a shutdown, `close()`, `waitForBytes()`, and `resumeAfterYield`, made once
 * so that yielding allocates nothing. Phase 4's edge may hold a connection (`this.held`): treat it
 * like blocked.
 */
export class EventConnection extends EventConnectionBase {
  /**
   * TODO: serve one turn. Do nothing if there is no session, or the connection is closed, blocked,
   * held or has a yield pending. Call `session.step()` up to `requestsPerTurn` times, stopping at the
   * first result that is not Step.Continue (import Step from session.ts) — and stopping early once
   * `session.out.bytes` passes `writeHighWater - socket.writableLength`, so one turn of large
   * replies cannot overshoot the mark. Then flush() the replies. Then, in this order:
   * - Step.Close: `this.close()` and return.
   * - more than `writeHighWater` bytes unwritten (`socket.writableLength`): set blocked and
   *   `socket.pause()` — 'drain' (onDrain) resumes. Why: the client is not reading its replies.
   * - the turn ran out (last step was Continue): set yielded, pause, `setImmediate(resumeAfterYield)`.
   *   Why setImmediate and not process.nextTick: other sockets' I/O runs before it.
   * - otherwise (Step.NeedMore) everything read has been served: `this.close()` if draining
   *   (a graceful shutdown), else `this.waitForBytes()`: it resumes the socket and gives the idle
   *   session back, so that an idle connection holds no parser and no reply buffer.
   */
  protected serve(): void {
    todo('serve', { yielded: this.yielded, blocked: this.blocked, closed: this.closed });
  }

  /**
   * TODO: write every reply of the turn in one go: nothing if `session.out.bytes` is 0; else take
   * the chunks (`session.out.take()`), count them (`counters.written(bytes)`) and write them as
   * ONE socket.write — Buffer.concat them when there are several. Why: one write per turn instead
   * of one per reply is what makes pipelining fast.
   */
  protected flush(session: Session): void {
    todo('flush', session.out.bytes);
  }
}
