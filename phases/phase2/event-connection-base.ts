/**
 * What every event-loop connection does around a turn: it wires the socket's events, takes a
 * session (of the protocol the first byte picked) while it has bytes in hand, drains for a graceful shutdown, closes so that the socket is
 * released even from a client that never reads, and answers what phase 4's edge asks of a
 * connection (hold, release, refuse, kick). The turn itself — `serve()` and `flush()`, the lesson
 * of exercise 2.4 — is left to {@link "phases/phase2/event-connection"!EventConnection}, and to the
 * learner's stub, which both extend this class.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Session, SessionContext } from '../../shared/protocol/session.ts';
import { sessionPoolFor, type SessionPool } from '../../shared/protocol/session-pool.ts';
import type { CommitGate } from '../../shared/runtime/commit-gate.ts';
import { closeAfterReplies } from '../../shared/runtime/connection-close.ts';
import type { ConnectionGuard, ConnectionWatch, GuardedConnection } from '../../shared/runtime/connection-guard.ts';
import type { Connection } from '../../shared/runtime/connection.ts';
import type { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { GATHER_FROM_BYTES } from '../../shared/runtime/write-replies.ts';
import type { PinList } from '../../shared/store/store.ts';

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
 * Where the socket's handlers, shared by every socket, find their connection: one property on the
 * socket instead of a closure per handler per connection.
 */
const CONNECTION = Symbol('kvlab.connection');

/** A socket served by an event-loop connection. */
interface ServedSocket extends Socket {
  [CONNECTION]: EventConnectionBase;
}

/**
 * One socket on the event loop, but for what a turn does. What an idle connection costs is kept
 * small (measured in docs/phase4-scaling.md): the socket's handlers are functions shared by every
 * connection, and the protocol session — parser, reply buffer — is taken from the server's
 * {@link SessionPool} when bytes arrive and given back once all of them have been answered.
 */
export abstract class EventConnectionBase implements Connection, GuardedConnection {
  /** The session serving this connection's bytes; null while it has nothing in hand (idle). */
  protected session: Session | null = null;
  /** A yield (setImmediate) is scheduled: the connection had more buffered work than one turn. */
  protected yielded = false;
  /** Reading is paused because the client is not reading its replies. */
  protected blocked = false;
  /** Shutting down: serve what has been read, then close instead of reading more. */
  protected draining = false;
  /** The guard's view of this connection, told of reads and turns; null without a guard. */
  protected readonly watch: ConnectionWatch | null;
  /** The guard holds the connection (its rate limit): nothing is read or served until released. */
  protected held = false;
  /** This side decided to close (quit, hopeless input, a shutdown, a kick). */
  private ending = false;
  /** The guard wants requests refused (reject mode); kept here, as sessions come and go. */
  private refusing = false;
  /** The first byte the client sent, which picks its protocol for good; -1 before any. */
  private firstByte = -1;
  /** Made on the first yield only: most connections never need it. */
  private resumer: (() => void) | null = null;
  /**
   * Values the store lent to replies gathered but not yet handed to the socket (a turn held for
   * its commit, or the one being written): see {@link EventConnectionBase.lendValues}.
   */
  private lent: PinList | null = null;
  private readonly pool: SessionPool;

  constructor(
    protected readonly socket: Socket,
    protected readonly settings: ConnectionSettings,
  ) {
    this.pool = sessionPoolFor(settings.context);
    socket.setNoDelay(true);
    (socket as ServedSocket)[CONNECTION] = this;
    /* eslint-disable @typescript-eslint/unbound-method -- Node calls them with the socket as `this`, which is what they take */
    socket.on('data', EventConnectionBase.onSocketData);
    socket.on('drain', EventConnectionBase.onSocketDrain);
    socket.on('error', EventConnectionBase.onSocketError);
    /* eslint-enable @typescript-eslint/unbound-method */
    this.watch = settings.guard === undefined ? null : settings.guard.watch(socket, this);
  }

  /** Serves one turn of buffered requests and decides what comes next. */
  protected abstract serve(): void;

  /** Writes every reply of the turn. */
  protected abstract flush(session: Session): void;

  /**
   * Closed, or closing: this side decided to close, or the socket is gone. Read from the socket
   * rather than kept up to date by a 'close' handler, which every connection would pay for.
   */
  protected get closed(): boolean {
    return this.ending || this.socket.destroyed;
  }

  // ───────────── Zero-copy values (a store with valuePins: phase 4's slab store) ─────────────

  /**
   * Starts a turn's lending: until {@link EventConnectionBase.endLending}, a get of a value long
   * enough to leave the socket as its own piece (write-replies.ts) may be answered with a view of
   * the store's memory instead of a copy. Elsewhere, and with other stores, replies are copies.
   */
  protected lendValues(): void {
    this.settings.context.store.valuePins?.begin(GATHER_FROM_BYTES);
  }

  /** Ends a turn's lending; its pins wait with its replies until they are written. */
  protected endLending(): void {
    const taken = this.settings.context.store.valuePins?.take() ?? null;
    if (taken !== null) this.lent = this.lent === null ? taken : [...this.lent, ...taken];
  }

  /**
   * For the write of the replies gathered so far: what to call once the socket is done with
   * them, giving back the values they lent (undefined when none was lent).
   */
  protected sentCallback(): (() => void) | undefined {
    const lent = this.lent;
    if (lent === null) return undefined;
    this.lent = null;
    const pins = this.settings.context.store.valuePins!;
    return () => pins.release(lent);
  }

  /** The gathered replies will never be written (dropped, or the connection closed first): give their values back now. */
  protected dropLent(): void {
    this.sentCallback()?.();
  }

  /** What a yield's setImmediate calls: made once per connection that yields, so yielding allocates no closure per turn. */
  protected get resumeAfterYield(): () => void {
    return (this.resumer ??= () => {
      this.yielded = false;
      this.serve();
    });
  }

  /**
   * Everything read has been served and answered: the session goes back to the pool (the next
   * bytes take one again) and the socket reads on. A session that still holds part of a request
   * stays.
   */
  protected waitForBytes(): void {
    if (this.session !== null && this.pool.give(this.session)) this.session = null;
    this.socket.resume();
  }

  // The handlers every socket shares: `this` is the socket (function expressions, not arrows).
  private static readonly onSocketData = function (this: Socket, chunk: Buffer): void {
    (this as ServedSocket)[CONNECTION].onData(chunk);
  };

  private static readonly onSocketDrain = function (this: Socket): void {
    (this as ServedSocket)[CONNECTION].onDrain();
  };

  private static readonly onSocketError = function (this: Socket, error: Error): void {
    (this as ServedSocket)[CONNECTION].settings.log.debug({ err: error }, 'socket error');
  };

  private onData(chunk: Buffer): void {
    this.settings.counters.read(chunk.length);
    // A closing connection reads on only to see its client go; what arrives now is not served.
    if (this.closed) return;
    this.watch?.read();
    if (this.session === null) {
      // The first byte picks the protocol for the life of the connection.
      if (this.firstByte === -1) this.firstByte = chunk[0]!;
      this.session = this.pool.take(this.firstByte);
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
    this.ending = true;
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
    this.ending = true;
    this.socket.destroy();
  }
}
