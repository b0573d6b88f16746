/**
 * Sessions that are not serving anyone, kept to serve the next connection that sends bytes. A
 * connection holds a session only while it has a request or replies in hand: it takes one when
 * bytes arrive and gives it back once everything read has been answered. An idle connection then
 * holds no parser, no reply buffer and none of its last chunk — the bytes that made idle
 * connections dear (the breakdown is in docs/phase4-scaling.md) — and the server holds as many
 * sessions as connections are busy at once, not as connections are open. Taking and giving back
 * is a pop and a push: no allocation per turn once the pool has filled.
 * @module
 */
import { MAGIC_REQUEST } from './binary/constants.ts';
import { createSession, type Session, type SessionContext } from './session.ts';

/**
 * Idle sessions kept per protocol. Busy sessions are at most the connections served in one turn of
 * the loop; past this many idle ones (a burst that is over), the rest are left to the collector.
 */
export const POOLED_SESSIONS = 256;

/** Idle sessions of one server context, by protocol. */
export class SessionPool {
  private readonly text: Session[] = [];
  private readonly binary: Session[] = [];

  constructor(private readonly context: SessionContext) {}

  /** A session for a connection whose first byte is `firstByte` (it picks the protocol), at rest. */
  take(firstByte: number): Session {
    const binary = firstByte === MAGIC_REQUEST;
    return (binary ? this.binary : this.text).pop() ?? createSession(firstByte, this.context);
  }

  /**
   * Takes `session` back if it is at rest (see {@link Session.release}) and returns true; a session
   * still holding part of a request or replies is left with its connection (false).
   */
  give(session: Session): boolean {
    if (!session.release()) return false;
    const idle = session.protocol === 'binary' ? this.binary : this.text;
    if (idle.length < POOLED_SESSIONS) idle.push(session);
    return true;
  }

  /** Idle sessions held now (for tests). */
  get size(): number {
    return this.text.length + this.binary.length;
  }
}

const pools = new WeakMap<SessionContext, SessionPool>();

/** The pool of a server context: one per context, made on first use (a thread's connections share it). */
export function sessionPoolFor(context: SessionContext): SessionPool {
  let pool = pools.get(context);
  if (pool === undefined) {
    pool = new SessionPool(context);
    pools.set(context, pool);
  }
  return pool;
}
