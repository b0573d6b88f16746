/**
 * One client connection in the blocking model: read a command, hand it to the executor, wait for
 * the reply, write it, and only then read the next command. While a command is in flight the
 * socket is paused, so a client that pipelines gets its commands served strictly one after another
 * — the behaviour of a thread-per-request server, and the baseline phase 2 improves on.
 *
 * Backpressure comes for free in this model, as long as "wait for the reply" includes writing it:
 * when the socket holds more than `writeHighWater` unwritten bytes (the client is not reading), the
 * next command waits for 'drain'. Server memory per connection stays at the mark plus one reply.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { TextParser } from '../../shared/protocol/text/text-parser.ts';
import { After } from '../../shared/protocol/after.ts';
import type { TextCommand } from '../../shared/protocol/text/text-command.ts';
import type { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { closeAfterReplies } from '../../shared/runtime/connection-close.ts';
import type { Connection } from '../../shared/runtime/connection.ts';
import { LogThrottle } from '../../shared/runtime/log-throttle.ts';
import type { CommandExecutor, Reply } from './executor.ts';

/** Protocol-error lines a connection may log a second: enough to see what a client gets wrong. */
const ERROR_LINES_PER_SECOND = 5;

/** What every blocking connection shares. */
export interface BlockingSettings {
  readonly executor: CommandExecutor;
  readonly counters: ServerCounters;
  readonly log: Logger;
  readonly maxItemSize: number;
  /** Unwritten reply bytes above which the next command waits for the client to read. */
  readonly writeHighWater: number;
}

/** Serves one socket until it closes. */
export class BlockingConnection implements Connection {
  private readonly parser: TextParser;
  private inFlight = false;
  private closed = false;
  /** Shutting down: finish the command in flight and those already read, then close. */
  private draining = false;
  /** At most a few protocol-error lines a second from this connection. */
  private readonly errorLog = new LogThrottle(ERROR_LINES_PER_SECOND);
  /** `address:port` of the client, for log lines. */
  private readonly peer: string;

  constructor(
    private readonly socket: Socket,
    private readonly settings: BlockingSettings,
  ) {
    this.parser = new TextParser({ maxItemSize: settings.maxItemSize });
    this.peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.serveNext());
    socket.on('error', (error) => settings.log.debug({ err: error }, 'socket error'));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  drain(): void {
    if (this.closed || this.draining) return;
    this.draining = true;
    this.socket.pause();
    this.serveNext();
  }

  private onData(chunk: Buffer): void {
    this.settings.counters.read(chunk.length);
    // A closing connection reads on only to see its client go; what arrives now is not served.
    if (this.closed) return;
    this.parser.feed(chunk);
    this.serveNext();
  }

  /** Takes the next complete command, if any, and sends it off; otherwise waits for bytes. */
  private serveNext(): void {
    if (this.inFlight || this.closed) return;
    if (this.socket.writableLength > this.settings.writeHighWater) {
      // The client is not reading its replies: read nothing more until 'drain' calls us again.
      this.socket.pause();
      return;
    }
    const command = this.parser.next();
    if (command === undefined) {
      if (this.parser.closed || this.draining) this.close();
      else this.socket.resume();
      return;
    }
    this.inFlight = true;
    this.socket.pause();
    this.settings.executor.execute(command).then(
      (reply) => this.replied(command, reply),
      (error: unknown) => {
        // Executors answer a failing command with SERVER_ERROR themselves; this is the last resort.
        this.settings.log.error({ err: error, command: command.kind }, 'executor failed; closing the connection');
        this.socket.destroy();
      },
    );
  }

  private replied(command: TextCommand, reply: Reply): void {
    this.inFlight = false;
    if (this.closed) return;
    const { counters, log } = this.settings;
    const code = command.kind === 'error' ? command.code : command.kind === 'storage' && command.tooLarge ? 'TOO_LARGE' : null;
    if (code !== null) {
      // Throttled per connection: a client sending bad commands in a loop gets a few lines a second.
      const { write, suppressed } = this.errorLog.allow();
      if (write) log.warn({ peer: this.peer, code, suppressed }, suppressed > 0 ? `protocol error (and ${suppressed} more not logged)` : 'protocol error');
    }
    if (reply.chunks.length > 0) {
      this.socket.cork();
      for (const chunk of reply.chunks) {
        counters.written(chunk.length);
        this.socket.write(chunk);
      }
      this.socket.uncork();
    }
    if (reply.after === After.Close) return this.close();
    this.serveNext();
  }

  private close(): void {
    this.closed = true;
    // Drained by a shutdown, the shutdown's deadline bounds the close; otherwise the linger does.
    closeAfterReplies(this.socket, this.draining ? null : undefined);
  }
}
