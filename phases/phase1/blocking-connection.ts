/**
 * One client connection in the blocking model: read a command, hand it to the executor, wait for
 * the reply, write it, and only then read the next command. While a command is in flight the
 * socket is paused, so a client that pipelines gets its commands served strictly one after another
 * — the behaviour of a thread-per-request server, and the baseline phase 2 improves on.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { TextParser } from '../../shared/protocol/text/text-parser.ts';
import { After } from '../../shared/protocol/after.ts';
import type { TextCommand } from '../../shared/protocol/text/text-command.ts';
import type { ServerCounters } from '../../shared/runtime/server-counters.ts';
import type { CommandExecutor, Reply } from './executor.ts';

/** Serves one socket until it closes. */
export class BlockingConnection {
  private readonly parser: TextParser;
  private inFlight = false;
  private closed = false;
  /** `address:port` of the client, for log lines. */
  private readonly peer: string;

  constructor(
    private readonly socket: Socket,
    private readonly executor: CommandExecutor,
    private readonly counters: ServerCounters,
    private readonly log: Logger,
    maxItemSize: number,
  ) {
    this.parser = new TextParser({ maxItemSize });
    this.peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.log.debug({ err: error }, 'socket error'));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  private onData(chunk: Buffer): void {
    this.counters.read(chunk.length);
    this.parser.feed(chunk);
    this.serveNext();
  }

  /** Takes the next complete command, if any, and sends it off; otherwise waits for bytes. */
  private serveNext(): void {
    if (this.inFlight || this.closed) return;
    const command = this.parser.next();
    if (command === undefined) {
      if (this.parser.closed) this.socket.destroy();
      else this.socket.resume();
      return;
    }
    this.inFlight = true;
    this.socket.pause();
    this.executor.execute(command).then(
      (reply) => this.replied(command, reply),
      (error: unknown) => {
        this.log.error({ err: error, command: command.kind }, 'executor failed; closing the connection');
        this.socket.destroy();
      },
    );
  }

  private replied(command: TextCommand, reply: Reply): void {
    this.inFlight = false;
    if (this.closed) return;
    if (command.kind === 'error') this.log.warn({ peer: this.peer, code: command.code }, 'protocol error');
    else if (command.kind === 'storage' && command.tooLarge) this.log.warn({ peer: this.peer, code: 'TOO_LARGE', bytes: command.length }, 'protocol error');
    if (reply.chunks.length > 0) {
      this.socket.cork();
      for (const chunk of reply.chunks) {
        this.counters.written(chunk.length);
        this.socket.write(chunk);
      }
      this.socket.uncork();
    }
    if (reply.after === After.Close) {
      this.socket.end();
      this.closed = true;
      return;
    }
    this.serveNext();
  }
}
