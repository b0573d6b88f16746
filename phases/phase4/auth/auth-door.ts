/**
 * The door in front of a connection on a server with authentication: it owns the socket until the
 * client has logged in, answering the handshake itself, and then hands the socket — with whatever
 * the client sent after its login — to the connection that serves commands. So nothing reaches a
 * session, on the loop or in a ring worker, before authentication, and a server without it pays
 * nothing: the door is not there. The first byte picks the handshake, as it picks the protocol.
 *
 *   WAITING ──attempt──▶ CHECK ──ok──▶ PASSED (the session's connection serves the socket)
 *      ▲                   │ failed
 *      └──── HOLDING ◀─────┘ (the answer waits out the address's delay; nothing else is read)
 *
 * A protocol whose authentication is off on this server (binary without `-S`, text without `-Y`)
 * could never log in: such a connection is closed at once (memcached leaves it hanging).
 * @module
 */
import type { Socket } from 'node:net';
import type { Connection } from '../../../shared/runtime/connection.ts';
import type { ServerCounters } from '../../../shared/runtime/server-counters.ts';
import { closeAfterReplies } from '../../../shared/runtime/connection-close.ts';
import { MAGIC_REQUEST } from '../../../shared/protocol/binary/constants.ts';
import type { Authenticator } from './authenticator.ts';
import { BinaryTurns, TextTurns, type Handshake } from './handshake-turns.ts';

/**
 * Unwritten handshake replies past which the door stops reading: a client pipelining refused
 * commands without reading the refusals holds at most this much server memory.
 */
const WRITE_HIGH_WATER = 64 * 1024;

/** Who logged in on each socket that passed a door: for parts that see only the socket. */
const USERS = new WeakMap<Socket, string>();

/** The user `socket` authenticated as, or null (not authenticated, or no authentication here). */
export function authenticatedUser(socket: Socket): string | null {
  return USERS.get(socket) ?? null;
}

/** One connection's way in. */
export class AuthDoor implements Connection {
  private handshake: Handshake | null = null;
  /** The connection that serves the socket once the client is in. */
  private inner: Connection | null = null;
  private authenticatedAs: string | null = null;
  /** HOLDING: the failure reply waiting out the delay, and its timer. */
  private heldReply: Buffer | null = null;
  private holdTimer: NodeJS.Timeout | null = null;
  /** The login deadline (--auth-timeout), until the client is in. */
  private deadline: NodeJS.Timeout | null = null;
  private blocked = false;
  private closed = false;
  /** Bytes fed to the handshake and not yet counted in bytes_read (counted once consumed). */
  private uncounted = 0;
  private readonly peer: string;

  constructor(
    private readonly socket: Socket,
    private readonly serve: (socket: Socket) => Connection,
    private readonly counters: ServerCounters,
    private readonly auth: Authenticator,
  ) {
    // A unix socket has no address: its clients share one entry.
    this.peer = socket.remoteAddress ?? 'local';
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('error', this.onError);
    if (auth.loginTimeoutMs > 0) this.deadline = setTimeout(this.onDeadline, auth.loginTimeoutMs);
    socket.once('close', () => {
      this.closed = true;
      this.stopHolding();
      this.clearDeadline();
      if (this.uncounted > 0) counters.read(this.uncounted);
      this.uncounted = 0;
    });
  }

  /** The user this connection authenticated as; null until it has. Read-only: set by the handshake alone. */
  get user(): string | null {
    return this.authenticatedAs;
  }

  drain(): void {
    if (this.inner !== null) return this.inner.drain();
    // Shutting down before the client is in: what it sent would only be refused. A held failure
    // is answered now rather than after its delay, then the connection closes.
    if (this.closed) return;
    const held = this.heldReply;
    this.stopHolding();
    if (held !== null) this.write(held);
    this.close(null);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.closed) return;
    if (this.handshake === null) {
      const binary = chunk[0] === MAGIC_REQUEST;
      if (binary ? !this.auth.modes.sasl : !this.auth.modes.ascii) {
        this.counters.read(chunk.length);
        return this.close();
      }
      this.handshake = binary ? new BinaryTurns(this.auth.version) : new TextTurns();
    }
    this.uncounted += chunk.length;
    this.handshake.feed(chunk);
    this.run();
  };

  private readonly onDrain = (): void => {
    if (!this.blocked) return;
    this.blocked = false;
    this.run();
  };

  /** Out of time to log in: hang up, as an idle timeout does, without a word. */
  private readonly onDeadline = (): void => {
    this.deadline = null;
    if (this.inner !== null || this.closed) return;
    this.auth.timedOut(this.peer);
    this.stopHolding();
    this.close();
  };

  private clearDeadline(): void {
    if (this.deadline !== null) clearTimeout(this.deadline);
    this.deadline = null;
  }

  private readonly onError = (error: Error): void => {
    // The client's problem, not the server's: the socket closes and the door with it.
    void error;
  };

  /** Runs the handshake's turns until it needs more bytes, holds, hands over or closes. */
  private run(): void {
    const handshake = this.handshake;
    if (handshake === null || this.closed || this.holdTimer !== null || this.blocked || this.inner !== null) return;
    for (let turn = handshake.next(); turn !== undefined; turn = handshake.next()) {
      if (turn.kind === 'reply') {
        this.write(turn.bytes);
        if (turn.close) return this.close();
        continue;
      }
      const result = this.auth.attempt(handshake.protocol, turn.user, turn.password, this.peer, this.counters);
      if (result.ok) return this.pass(handshake, turn.user!, turn.success);
      if (result.delayMs > 0) return this.hold(turn.failure, result.delayMs);
      this.write(turn.failure);
    }
    this.countConsumed(handshake);
    if (this.socket.writableLength > WRITE_HIGH_WATER) {
      this.blocked = true;
      this.socket.pause();
    } else {
      this.socket.resume();
    }
  }

  /** HOLDING: read nothing, answer nothing, until the delay has passed; then go on where it stopped. */
  private hold(reply: Buffer, delayMs: number): void {
    this.countConsumed(this.handshake!);
    this.heldReply = reply;
    this.socket.pause();
    this.holdTimer = setTimeout(() => {
      const held = this.heldReply!;
      this.stopHolding();
      this.write(held);
      this.run();
    }, delayMs);
  }

  private stopHolding(): void {
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.heldReply = null;
  }

  /** PASSED: the reply, then the socket and the bytes after the login go to the serving connection. */
  private pass(handshake: Handshake, user: string, reply: Buffer): void {
    this.clearDeadline();
    this.write(reply);
    // The bytes after the login are counted by the connection they go to, not here.
    this.countConsumed(handshake);
    const rest = handshake.rest();
    this.uncounted = 0;
    this.authenticatedAs = user;
    USERS.set(this.socket, user);
    this.handshake = null;
    this.socket.off('data', this.onData);
    this.socket.off('drain', this.onDrain);
    this.socket.off('error', this.onError);
    this.inner = this.serve(this.socket);
    // Handed over as if just read: the serving connection counts and parses them as its own.
    if (rest.length > 0) this.socket.emit('data', rest);
    this.socket.resume();
  }

  private countConsumed(handshake: Handshake): void {
    const consumed = this.uncounted - handshake.pendingBytes;
    if (consumed > 0) this.counters.read(consumed);
    this.uncounted -= consumed;
  }

  private write(bytes: Buffer): void {
    if (bytes.length === 0 || this.closed) return;
    this.counters.written(bytes.length);
    this.socket.write(bytes);
  }

  private close(lingerMs?: number | null): void {
    if (this.closed) return;
    this.closed = true;
    if (this.handshake !== null) this.countConsumed(this.handshake);
    this.handshake = null;
    closeAfterReplies(this.socket, lingerMs);
  }
}
