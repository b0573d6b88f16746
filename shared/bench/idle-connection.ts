/**
 * The connection a client process of connections mode holds: a socket bound, when asked, to a
 * source pair of its choosing (address *and* port), that sits idle and later asks one question.
 * The client's pipelining {@link "shared/client/connection"!Connection} binds only an address,
 * which leaves the port to the kernel's search; this one is the bench's own, for that reason.
 * @module
 */
import { connect as netConnect, type Socket } from 'node:net';
import { ClientError } from '../client/client-errors.ts';
import type { Codec, ReplyDecoder } from '../client/codec.ts';
import type { Reply, ReplyShape } from '../client/reply.ts';
import type { Request } from '../client/request.ts';

/** Where to connect from and to. */
export interface IdleConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  /** With `localAddress`: bind this port, and the kernel searches for none. */
  readonly localPort?: number;
  readonly timeoutMs: number;
  readonly codec: Codec;
}

/** The one request in flight: there is never more than one. */
interface Question {
  readonly shape: ReplyShape;
  readonly tag: number;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: ClientError) => void;
  readonly timer: NodeJS.Timeout;
}

/** One idle connection. Open it with {@link IdleConnection.connect}. */
export class IdleConnection {
  private readonly decoder: ReplyDecoder;
  private question: Question | undefined;
  /** Why the connection is closed; set once. */
  private failure: ClientError | undefined;

  /**
   * Connects; rejects with `CONNECT_FAILED`, the socket's error (EADDRINUSE, ECONNREFUSED…) as
   * its cause, or with no cause once `timeoutMs` has passed.
   */
  static connect(options: IdleConnectionOptions): Promise<IdleConnection> {
    const { host, port, localAddress, localPort } = options;
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port, localAddress, localPort, noDelay: true });
      const onError = (error: Error) => {
        clearTimeout(timer);
        reject(new ClientError('CONNECT_FAILED', `${host}:${port}: ${error.message}`, { cause: error }));
      };
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ClientError('CONNECT_FAILED', `${host}:${port}: no connection within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new IdleConnection(socket, options.codec));
      });
    });
  }

  private constructor(private readonly socket: Socket, private readonly codec: Codec) {
    // Read from the start, as the client does: a server over its limit greets with an error and
    // hangs up, and the decoder keeps that reply as the reason.
    this.decoder = codec.createDecoder({
      expectedShape: () => this.question?.shape,
      expectedTag: () => this.question?.tag,
      reply: (reply) => this.answer(reply),
      fail: (error) => this.destroy(error),
    });
    socket.on('data', (chunk: Buffer) => this.decoder.feed(chunk));
    socket.on('error', (error) => this.destroy(new ClientError('CONNECTION_CLOSED', error.message, { cause: error })));
    socket.on('end', () => this.destroy(new ClientError('CONNECTION_CLOSED', 'the server closed the connection')));
  }

  /** True while open and not failed. */
  get usable(): boolean {
    return this.failure === undefined;
  }

  /** Sends `request` and resolves with its reply; rejects with `TIMEOUT` or why the connection closed. */
  ask(request: Request, timeoutMs: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      if (this.question !== undefined) return reject(new ClientError('BAD_REQUEST', 'one question at a time'));
      const bytes = this.codec.encode(request);
      const timer = setTimeout(() => this.destroy(new ClientError('TIMEOUT', `no reply within ${timeoutMs} ms`)), timeoutMs);
      this.question = { shape: this.codec.shapeOf(request), tag: this.codec.tagOf(bytes), resolve, reject, timer };
      this.socket.write(bytes);
    });
  }

  /** Closes now; a question in flight fails with `error`, or `CONNECTION_CLOSED`. */
  destroy(error?: ClientError): void {
    if (this.failure !== undefined) return;
    this.failure = error ?? new ClientError('CONNECTION_CLOSED', 'the connection was closed by the client');
    this.socket.destroy();
    const question = this.question;
    this.question = undefined;
    if (question === undefined) return;
    clearTimeout(question.timer);
    question.reject(this.failure);
  }

  private answer(reply: Reply): void {
    const question = this.question;
    if (question === undefined) return;
    this.question = undefined;
    clearTimeout(question.timer);
    question.resolve(reply);
  }
}
