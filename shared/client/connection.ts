/**
 * One TCP connection to a memcached-compatible server, with pipelining: requests are written as
 * soon as they are sent, and replies are matched to them in order through a {@link PendingQueue}
 * (in the binary protocol each reply's opaque is checked against its request's, too).
 * Per-request timeouts share a single timer, armed for the earliest deadline in flight.
 * @module
 */
import { connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ClientError } from './client-errors.ts';
import type { Codec, ReplyDecoder } from './codec.ts';
import { PendingQueue } from './pending-queue.ts';
import type { Reply, ReplyShape } from './reply.ts';
import type { ReplyListener } from './reply-listener.ts';
import type { Request } from './request.ts';
import { codecFor, type ProtocolName } from './codecs.ts';

/** Where to connect and how long to wait. */
export interface ConnectionOptions {
  /** Server address (default 127.0.0.1). */
  readonly host?: string;
  readonly port: number;
  /** Local address to connect from: 127.0.0.2, 127.0.0.3… each has its own ephemeral ports. */
  readonly localAddress?: string;
  /** Give up connecting after this long (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Fail a request whose reply has not arrived after this long; 0 = never (default 5 s). */
  readonly requestTimeoutMs?: number;
  /** The wire format by name: `text` (the default) or `binary`. */
  readonly protocol?: ProtocolName;
  /** A wire format object, for a codec of one's own; takes precedence over `protocol`. */
  readonly codec?: Codec;
  /** The largest value a reply may carry (default 1 MiB). */
  readonly maxValueBytes?: number;
}

const DEFAULT_HOST = '127.0.0.1';
/** Long enough for a loaded loopback server, short enough that a dead one is noticed. */
const DEFAULT_TIMEOUT_MS = 5000;
/** How long {@link Connection.end} waits for the server to close its side before forcing it. */
const DEFAULT_END_GRACE_MS = 1000;

/** Adapts a promise to the {@link ReplyListener} interface (one small object per request). */
class PromiseListener implements ReplyListener {
  readonly promise: Promise<Reply>;
  private resolve!: (reply: Reply) => void;
  private reject!: (error: ClientError) => void;
  constructor() {
    this.promise = new Promise<Reply>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
  onReply(reply: Reply): void {
    this.resolve(reply);
  }
  onFailure(error: ClientError): void {
    this.reject(error);
  }
}

/** A connection to one server. Create it with {@link Connection.connect}. */
export class Connection {
  /** Resolves once the socket has closed, with the error that closed it, if any. */
  readonly closed: Promise<ClientError | undefined>;
  /** The wire format in use. */
  readonly codec: Codec;
  private readonly socket: Socket;
  private readonly decoder: ReplyDecoder;
  private readonly pending = new PendingQueue();
  private readonly requestTimeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires (Infinity: not armed). */
  private timerDeadline = Infinity;
  /** Why the connection is closing; set once. */
  private failure: ClientError | undefined;
  private ending = false;
  private isClosed = false;
  private markClosed!: (error: ClientError | undefined) => void;

  /**
   * Opens a connection; rejects with `CONNECT_FAILED` (the socket error as `cause`) when the
   * server refuses, the address is unusable, or the connect timeout passes, and with
   * `UNSUPPORTED` for a protocol name that has no codec.
   */
  static connect(options: ConnectionOptions): Promise<Connection> {
    const host = options.host ?? DEFAULT_HOST;
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      // Throws UNSUPPORTED for an unknown protocol name; a throw here rejects the promise.
      const codec = options.codec ?? codecFor(options.protocol ?? 'text');
      const socket = netConnect({ host, port: options.port, localAddress: options.localAddress, noDelay: true });
      const onError = (error: Error) => {
        clearTimeout(timer);
        reject(new ClientError('CONNECT_FAILED', `${host}:${options.port}: ${error.message}`, { cause: error }));
      };
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ClientError('CONNECT_FAILED', `${host}:${options.port}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new Connection(socket, codec, options));
      });
    });
  }

  private constructor(socket: Socket, codec: Codec, options: ConnectionOptions) {
    this.socket = socket;
    this.codec = codec;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    // The decoder talks back through this sink; its four closures are made once per connection.
    this.decoder = this.codec.createDecoder(
      {
        expectedShape: () => this.pending.peekShape(),
        expectedTag: () => this.pending.peekTag(),
        reply: (reply) => this.onReply(reply),
        fail: (error) => this.destroy(error),
      },
      { maxValueBytes: options.maxValueBytes },
    );
    socket.on('data', this.onData);
    socket.on('error', (error) => this.destroy(new ClientError('CONNECTION_CLOSED', error.message, { cause: error })));
    socket.on('end', () => this.destroy(new ClientError('CONNECTION_CLOSED', 'the server closed the connection')));
    socket.on('close', () => this.onSocketClosed());
  }

  /** True while the connection can take requests: open, not failed, not ending. */
  get usable(): boolean {
    return !this.isClosed && !this.ending && this.failure === undefined;
  }

  /** Requests sent whose replies have not arrived yet. */
  get inFlight(): number {
    return this.pending.length;
  }

  /**
   * Sends one request and resolves with its reply (error replies included: they resolve too).
   * Call it again without awaiting to pipeline; replies are matched in order.
   * Rejects with a {@link ClientError}: `BAD_REQUEST`, `TIMEOUT`, `CONNECTION_CLOSED`, `BAD_REPLY`.
   */
  request(request: Request, timeoutMs = this.requestTimeoutMs): Promise<Reply> {
    const listener = new PromiseListener();
    let bytes: Buffer;
    try {
      bytes = this.codec.encode(request);
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      listener.onFailure(error);
      return listener.promise;
    }
    this.send(bytes, this.codec.shapeOf(request), listener, timeoutMs);
    return listener.promise;
  }

  /**
   * The low-level send for hot loops: already-encoded bytes, the shape of their reply, and a
   * listener object that may be reused across requests. On a connection that is not usable the
   * listener's `onFailure` is called before this returns.
   */
  send(bytes: Buffer, shape: ReplyShape, listener: ReplyListener, timeoutMs = this.requestTimeoutMs): void {
    if (!this.usable) {
      listener.onFailure(this.failure ?? new ClientError('CONNECTION_CLOSED', 'the connection is closed'));
      return;
    }
    const deadline = timeoutMs > 0 ? performance.now() + timeoutMs : Infinity;
    this.pending.push(shape, this.codec.tagOf(bytes), listener, deadline);
    if (deadline < this.timerDeadline) this.armTimer(deadline);
    this.socket.write(bytes);
  }

  /**
   * Closes gracefully: takes no new requests, lets the replies in flight arrive, then closes.
   * Forces the close if the server has not finished within `graceMs`.
   */
  end(graceMs = DEFAULT_END_GRACE_MS): Promise<void> {
    if (!this.isClosed) {
      this.ending = true;
      if (this.pending.length === 0) this.socket.end();
      setTimeout(() => this.destroy(), graceMs).unref();
    }
    return this.closed.then(() => undefined);
  }

  /**
   * Closes now. Every request in flight fails: with `error` when given, else `CONNECTION_CLOSED`.
   */
  destroy(error?: ClientError): void {
    if (this.isClosed) return;
    this.failure ??= error ?? new ClientError('CONNECTION_CLOSED', 'the connection was closed by the client');
    this.socket.destroy();
    this.failPending();
  }

  /**
   * Replies that arrive together are handled with the socket corked, so requests their listeners
   * send in response leave in one write instead of one each.
   */
  private readonly onData = (chunk: Buffer): void => {
    this.socket.cork();
    this.decoder.feed(chunk);
    this.socket.uncork();
  };

  private onReply(reply: Reply): void {
    this.pending.shift().onReply(reply);
    if (this.ending && this.pending.length === 0) this.socket.end();
  }

  private onSocketClosed(): void {
    this.isClosed = true;
    this.failPending();
    clearTimeout(this.timer);
    this.markClosed(this.failure);
  }

  /** Fails everything in flight; requests past their deadline get `TIMEOUT`, the rest the failure. */
  private failPending(): void {
    const closedError = this.failure ?? new ClientError('CONNECTION_CLOSED', 'the connection closed');
    const now = performance.now();
    while (this.pending.length > 0) {
      const timedOut = this.pending.peekDeadline() <= now;
      this.pending.shift().onFailure(timedOut ? new ClientError('TIMEOUT', `no reply within ${this.requestTimeoutMs} ms`) : closedError);
    }
  }

  private armTimer(deadline: number): void {
    clearTimeout(this.timer);
    this.timerDeadline = deadline;
    this.timer = setTimeout(this.onTimer, Math.max(0, deadline - performance.now()));
    // The socket keeps the process alive while it is open; the timer need not.
    this.timer.unref();
  }

  /**
   * The earliest deadline may have passed: if so the connection must close, because the late reply
   * would otherwise be matched to the next request. If not, re-arm for the new earliest deadline.
   */
  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerDeadline = Infinity;
    const earliest = this.pending.earliestDeadline();
    if (earliest === Infinity) return;
    if (earliest <= performance.now()) {
      this.destroy(new ClientError('CONNECTION_CLOSED', 'closed because an earlier request on it timed out'));
    } else {
      this.armTimer(earliest);
    }
  };
}
