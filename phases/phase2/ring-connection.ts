/**
 * A connection in `--workers N` mode: the loop thread only moves bytes. What the client sends goes
 * to its worker through the request ring; what the worker sends back is written to the socket.
 * Backpressure works as on the loop: past the high-water mark of unwritten replies the socket stops
 * being read, and so the worker stops getting requests from this client. Nor is the client read
 * while its worker is behind (More … Idle), so a fast sender cannot pile requests up in the worker.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { closeAfterReplies } from '../../shared/runtime/connection-close.ts';
import type { Connection } from '../../shared/runtime/connection.ts';
import type { ConnectionGuard, ConnectionWatch, GuardedConnection } from '../../shared/runtime/connection-guard.ts';
import type { RingClient, RingDispatcher } from './ring-dispatcher.ts';

/** One socket served by a ring worker. */
export class RingConnection implements RingClient, Connection, GuardedConnection {
  private readonly id: number;
  /** Request bytes the ring had no room for yet, in order. */
  private unsent: Buffer[] = [];
  private blocked = false;
  private closed = false;
  /** The worker paused our turn; a Resume is owed once the client reads its replies. */
  private resumeOwed = false;
  /** The worker holds requests of ours it has not served (from its More to its Idle): read nothing more. */
  private workerBehind = false;
  /** Shutting down: read nothing more; once the request bytes read so far are sent, a Drain is owed. */
  private draining = false;
  private drainOwed = false;
  /** The guard's view of this connection (told of reads, and of the worker's turns); null without a guard. */
  private readonly watch: ConnectionWatch | null;
  /** The guard holds the connection (its rate limit): read nothing, and owe the worker its Resume. */
  private held = false;
  /** A Refuse record the ring had no room for yet: the latest of the guard's wishes. */
  private refuseOwed: boolean | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly dispatcher: RingDispatcher,
    private readonly counters: ServerCounters,
    private readonly writeHighWater: number,
    log: Logger,
    guard?: ConnectionGuard,
  ) {
    this.id = dispatcher.open(this);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      counters.read(chunk.length);
      // A closing connection reads on only to see its client go; what arrives now is not served.
      if (this.closed) return;
      this.watch?.read();
      this.unsent.push(chunk);
      this.sendUnsent();
    });
    socket.on('drain', () => {
      this.blocked = false;
      this.sendUnsent();
    });
    socket.on('error', (error) => log.debug({ err: error }, 'socket error'));
    socket.on('close', () => {
      this.closed = true;
      dispatcher.forget(this.id);
    });
    this.watch = guard === undefined ? null : guard.watch(socket, this);
  }

  reply(bytes: Buffer): void {
    if (this.closed) return;
    this.counters.written(bytes.length);
    if (!this.socket.write(bytes) && this.socket.writableLength > this.writeHighWater) {
      this.blocked = true;
      this.updateReading();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsent = [];
    // Drained by a shutdown, the shutdown's deadline bounds the close; otherwise the linger does.
    closeAfterReplies(this.socket, this.draining ? null : undefined);
  }

  drain(): void {
    if (this.closed || this.draining) return;
    this.draining = true;
    this.drainOwed = true;
    // A shutdown serves what was read even from a client its guard was holding back.
    this.held = false;
    this.sendUnsent();
  }

  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsent = [];
    this.socket.destroy();
  }

  more(): void {
    this.resumeOwed = true;
    this.workerBehind = true;
    this.sendUnsent();
  }

  idle(): void {
    this.workerBehind = false;
    this.sendUnsent();
  }

  retry(): void {
    this.sendUnsent();
  }

  progress(served: number, partial: boolean, refused: boolean): void {
    if (!this.closed) this.watch?.turn(served, partial, refused);
  }

  hold(): void {
    if (this.held || this.closed) return;
    this.held = true;
    this.updateReading();
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    this.sendUnsent();
  }

  refuse(on: boolean): void {
    this.refuseOwed = on;
    this.sendUnsent();
  }

  kick(): void {
    this.abort();
  }

  /** Sends an owed Resume, then queued request bytes in pieces the ring accepts, until it is full. */
  private sendUnsent(): void {
    if (this.closed || this.blocked) return this.updateReading();
    // Before the bytes that follow it, so the worker refuses (or serves) exactly what comes after.
    if (this.refuseOwed !== null) {
      if (!this.dispatcher.refuse(this.id, this.refuseOwed)) return this.updateReading();
      this.refuseOwed = null;
    }
    // Held, the worker gets neither bytes nor its Resume: what it holds waits with the client.
    if (this.held) return this.updateReading();
    if (this.resumeOwed) {
      if (!this.dispatcher.resume(this.id)) return this.updateReading();
      this.resumeOwed = false;
    }
    const max = this.dispatcher.maxPayload;
    while (this.unsent.length > 0) {
      const chunk = this.unsent[0]!;
      const piece = chunk.length > max ? chunk.subarray(0, max) : chunk;
      if (!this.dispatcher.send(this.id, piece)) break;
      if (piece === chunk) this.unsent.shift();
      else this.unsent[0] = chunk.subarray(max);
    }
    if (this.drainOwed && this.unsent.length === 0 && this.dispatcher.drain(this.id)) this.drainOwed = false;
    this.updateReading();
  }

  /** Reads only while the ring takes our requests, the worker keeps up with them, and the client takes our replies. */
  private updateReading(): void {
    if (this.closed) return;
    if (this.draining || this.blocked || this.held || this.workerBehind || this.unsent.length > 0) this.socket.pause();
    else this.socket.resume();
  }
}
