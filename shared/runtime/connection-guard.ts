/**
 * The seam where a later phase guards connections — limits per source address, idle and
 * partial-request deadlines, per-client rate limits — without the connection models knowing what
 * is enforced. The listener asks the guard before serving a socket; each connection hands the
 * guard a handle to itself and reports, once per turn, what it did. Phases 2 and 3 pass no guard,
 * and then every hook is one `null` check: nothing is read, counted or timed.
 *
 *   accept ─▶ guard.admit(socket) ─▶ connection ─▶ watch.read()            (bytes arrived)
 *                                         └──────▶ watch.turn(served, partial) (a turn ended)
 *   guard ─▶ GuardedConnection.hold / release / refuse / kick
 *
 * The turn report is the same in both execution models: on the loop the connection makes it
 * itself; with ring workers the worker sends it back through the reply ring (a Progress record),
 * because only the worker's session knows whether a request is half received.
 * @module
 */
import type { Socket } from 'node:net';
import type { ServerCounters } from './server-counters.ts';
import type { Resource } from './shutdown-parts.ts';

/** What a guard may do to a connection it watches. All are idempotent. */
export interface GuardedConnection {
  /** Stop reading the client (and serving what it sent) until {@link release}: TCP backpressure. */
  hold(): void;
  /** Read and serve again. */
  release(): void;
  /** From now on answer each request with the rate-limit refusal (true), or serve again (false). */
  refuse(on: boolean): void;
  /** Close at once, without replying: the client overstayed a deadline. */
  kick(): void;
}

/** A guard's view of one connection, told what the connection does. */
export interface ConnectionWatch {
  /** Bytes arrived from the client. */
  read(): void;
  /**
   * A turn ended: `served` requests were answered, `partial` says whether the session holds the
   * first bytes of a request it has not received whole, and `refused` whether the turn's requests
   * were refused (the session was refusing) rather than executed.
   */
  turn(served: number, partial: boolean, refused: boolean): void;
  /**
   * How many of at most `max` requests the next turn may serve (at least 1): a connection that can
   * ask before its turn (on the loop) keeps a pipelined batch within its client's allowance.
   */
  allowance(max: number): number;
}

/** What a phase plugs into the listener and its connections. */
export interface ConnectionGuard {
  /**
   * Whether an accepted socket (within the total connection limit) may be served; false turns it
   * away as a connection over the limit is. A guard that admits also sees it close.
   */
  admit(socket: Socket): boolean;
  /** Starts watching a served connection; the watch ends by itself when the socket closes. */
  watch(socket: Socket, connection: GuardedConnection): ConnectionWatch;
}

/**
 * How a phase asks for a guard: built once the server's shared counters exist (it counts into
 * them, so every thread's `stats` shows its events), closed with the server's other resources.
 */
export interface GuardSetup {
  /** Builds the guard over the server's counters (its idle_kicks are memcached's, kept there). */
  create(counters: ServerCounters): ConnectionGuard & Resource;
  /** memcached's `-o idle_timeout` in seconds (0: none), for `stats settings` and `idle_kicks`. */
  readonly idleTimeoutSeconds: number;
  /** The guard's own counters (a GuardCounters buffer, guard-counters.ts), which every thread's `stats` shows. */
  readonly stats: SharedArrayBuffer;
}
