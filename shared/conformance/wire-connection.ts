/**
 * A raw TCP connection for black-box tests. It writes bytes exactly as given, piece by piece with
 * a turn of the event loop between pieces, and keeps everything the server sent in one unread
 * buffer that a test inspects and consumes; every wait has a deadline, so no test can hang.
 * @module
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { setImmediate as nextTurn } from 'node:timers/promises';

const EMPTY = Buffer.alloc(0);

/** How long to wait for a connection to open before failing the test. */
const CONNECT_TIMEOUT_MS = 5000;

/** One TCP connection to the server under test. */
export class WireConnection {
  readonly #socket: Socket;
  #unread: Buffer = EMPTY;
  #hangUp: string | null = null;
  #wake: (() => void) | null = null;

  private constructor(socket: Socket) {
    this.#socket = socket;
    // Without Nagle's algorithm each small write leaves as its own segment, which is the point of
    // writing a byte at a time.
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#unread = this.#unread.length === 0 ? chunk : Buffer.concat([this.#unread, chunk]);
      this.#wake?.();
    });
    socket.on('end', () => this.#markHungUp('the server closed the connection'));
    socket.on('error', (error: NodeJS.ErrnoException) => this.#markHungUp(`connection error ${error.code ?? error.message}`));
    socket.on('close', () => this.#markHungUp('the connection closed'));
  }

  /** Opens a connection and resolves once it is established. */
  static open(host: string, port: number): Promise<WireConnection> {
    return WireConnection.#established(connect({ host, port }), 'connect', `connect to ${host}:${port}`);
  }

  /**
   * Opens a TLS connection (`tls` names whom to trust, e.g. `{ ca, servername }`) and resolves
   * once the handshake is done: what the tests write then travels encrypted, and what they read
   * is the plain reply.
   */
  static openTls(host: string, port: number, tls: ConnectionOptions): Promise<WireConnection> {
    return WireConnection.#established(connectTls({ ...tls, host, port }), 'secureConnect', `finish a TLS handshake with ${host}:${port}`);
  }

  static #established(socket: Socket, ready: 'connect' | 'secureConnect', what: string): Promise<WireConnection> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const timer = setTimeout(() => failed(new Error(`could not ${what} within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      socket.once('error', failed);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', failed);
        resolve(new WireConnection(socket));
      });
    });
  }

  /** Bytes received and not yet consumed. */
  get unread(): Buffer {
    return this.#unread;
  }

  /** Why the connection ended (FIN, reset, error), or null while it is open. */
  get hangUp(): string | null {
    return this.#hangUp;
  }

  /** Drops the first `count` unread bytes and returns them. */
  consume(count: number): Buffer {
    const taken = this.#unread.subarray(0, count);
    this.#unread = this.#unread.subarray(count);
    return taken;
  }

  /**
   * Writes each piece separately, waiting for it to reach the kernel and for one turn of the
   * event loop before the next. Stops quietly once the server has hung up: later bytes have
   * nowhere to go, and a test that expects the hang-up checks for it next.
   */
  async write(pieces: readonly Buffer[]): Promise<void> {
    for (const piece of pieces) {
      if (this.#hangUp !== null) return;
      await new Promise<void>((resolve) => this.#socket.write(piece, () => resolve()));
      if (pieces.length > 1) await nextTurn();
    }
  }

  /**
   * Waits until `ready()` holds, the connection ends, or `timeoutMs` passes; `ready` is checked
   * again whenever bytes arrive. Resolves with the final value of `ready()`. One wait at a time:
   * a connection is read by one step of one test.
   */
  waitUntil(ready: () => boolean, timeoutMs: number): Promise<boolean> {
    if (ready() || this.#hangUp !== null) return Promise.resolve(ready());
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve(ready());
      };
      const timer = setTimeout(finish, timeoutMs);
      this.#wake = () => {
        if (ready() || this.#hangUp !== null) finish();
      };
    });
  }

  /** Half-closes our side (a client that stops mid-command) and waits, bounded, for the server to close its side too. */
  async end(timeoutMs = 2000): Promise<void> {
    this.#socket.end();
    await this.waitUntil(() => this.#hangUp !== null, timeoutMs);
    this.#socket.destroy();
  }

  /** Closes the connection at once. */
  destroy(): void {
    this.#socket.destroy();
  }

  #markHungUp(reason: string): void {
    this.#hangUp ??= reason;
    this.#wake?.();
  }
}
