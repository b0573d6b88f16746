/**
 * A pool of connections to one server. `acquire` hands out an idle connection (most recently used
 * first, so the rest can age out), opens a new one while under `max`, or queues the caller.
 * A connection that broke is never handed out again: it is dropped and, if someone is waiting,
 * replaced by a fresh one. Connections idle longer than `idleTimeoutMs` are closed.
 * @module
 */
import { ClientError } from './client-errors.ts';
import { Connection, type ConnectionOptions } from './connection.ts';

/** Pool settings, on top of the settings of each connection. */
export interface PoolOptions extends ConnectionOptions {
  /** At most this many connections open at once, busy or idle (default 10). */
  readonly max?: number;
  /** Close a connection idle for this long; 0 = never (default 30 s). */
  readonly idleTimeoutMs?: number;
  /** Reject `acquire` after waiting this long for a free connection (default 5 s). */
  readonly acquireTimeoutMs?: number;
}

/** A caller waiting for a connection. */
interface Waiter {
  resolve(connection: Connection): void;
  reject(error: ClientError): void;
  timer: NodeJS.Timeout;
}

/** An idle connection and since when it has been idle. */
interface IdleEntry {
  connection: Connection;
  since: number;
}

const DEFAULT_MAX = 10;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_ACQUIRE_TIMEOUT_MS = 5000;

/** A bounded pool of {@link Connection}s to one server. */
export class Pool {
  private readonly options: PoolOptions;
  private readonly max: number;
  private readonly idleTimeoutMs: number;
  private readonly acquireTimeoutMs: number;
  /** Every open or opening connection counts against `max`; `opening` counts those not yet open. */
  private readonly all = new Set<Connection>();
  private opening = 0;
  private readonly busy = new Set<Connection>();
  /** A stack: the most recently released connection is on top and is handed out first. */
  private idle: IdleEntry[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly evictionTimer: NodeJS.Timeout | undefined;
  private isClosed = false;

  /** @param options - the server, the connection settings and the pool limits */
  constructor(options: PoolOptions) {
    this.options = options;
    this.max = options.max ?? DEFAULT_MAX;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
    if (!Number.isInteger(this.max) || this.max < 1) throw new RangeError(`max must be a positive integer (got ${this.max})`);
    if (this.idleTimeoutMs > 0) {
      // Checking twice per timeout bounds how long past its timeout an idle connection lingers.
      this.evictionTimer = setInterval(() => this.evictIdle(), this.idleTimeoutMs / 2);
      this.evictionTimer.unref();
    }
  }

  /** Connections open or opening, busy or idle. */
  get size(): number {
    return this.all.size + this.opening;
  }

  /** Connections open and waiting to be acquired. */
  get idleCount(): number {
    return this.idle.length;
  }

  /** Callers waiting in `acquire`. */
  get waitingCount(): number {
    return this.waiters.length;
  }

  /**
   * A connection for the caller's exclusive use until {@link Pool.release}. Rejects with
   * `ACQUIRE_TIMEOUT`, `CONNECT_FAILED` or `POOL_CLOSED`.
   */
  acquire(): Promise<Connection> {
    if (this.isClosed) return Promise.reject(new ClientError('POOL_CLOSED'));
    const idle = this.takeIdle();
    if (idle) return Promise.resolve(this.lend(idle));
    if (this.size < this.max) {
      return this.open().then(
        (connection) => this.lend(connection),
        (error: ClientError) => {
          // The slot this caller reserved is free again: let a waiter try it.
          this.replaceForWaiter();
          throw error;
        },
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new ClientError('ACQUIRE_TIMEOUT', `all ${this.max} connections stayed busy for ${this.acquireTimeoutMs} ms`));
        }, this.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Gives a connection back. A healthy one goes to the next waiter or to the idle stack; a broken
   * one is closed and, when someone waits, replaced by a new connection.
   */
  release(connection: Connection): void {
    if (!this.busy.delete(connection)) throw new Error('release() of a connection this pool did not lend (or released twice)');
    if (this.isClosed || !connection.usable) {
      this.drop(connection);
      this.replaceForWaiter();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(this.lend(connection));
    } else {
      this.idle.push({ connection, since: Date.now() });
    }
  }

  /** Acquires a connection, runs `task` with it, and releases it whatever happens. */
  async use<T>(task: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await task(connection);
    } finally {
      this.release(connection);
    }
  }

  /** Closes every connection, busy ones included, and rejects every waiter with `POOL_CLOSED`. */
  async close(): Promise<void> {
    this.isClosed = true;
    clearInterval(this.evictionTimer);
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new ClientError('POOL_CLOSED'));
    }
    this.idle = [];
    const closing = [...this.all].map((connection) => {
      connection.destroy(new ClientError('POOL_CLOSED'));
      return connection.closed;
    });
    await Promise.all(closing);
  }

  /** Pops idle connections until a usable one turns up; broken ones are dropped on the way. */
  private takeIdle(): Connection | undefined {
    for (let entry = this.idle.pop(); entry; entry = this.idle.pop()) {
      if (entry.connection.usable) return entry.connection;
      this.drop(entry.connection);
    }
    return undefined;
  }

  private lend(connection: Connection): Connection {
    this.busy.add(connection);
    return connection;
  }

  /** Opens a connection counted against `max` from the start, so concurrent callers cannot overshoot. */
  private async open(): Promise<Connection> {
    this.opening++;
    let connection: Connection;
    try {
      connection = await Connection.connect(this.options);
    } finally {
      this.opening--;
    }
    if (this.isClosed) {
      connection.destroy(new ClientError('POOL_CLOSED'));
      throw new ClientError('POOL_CLOSED');
    }
    this.all.add(connection);
    // A connection that closes while idle leaves the pool at once; a busy one leaves on release.
    void connection.closed.then(() => {
      const index = this.idle.findIndex((entry) => entry.connection === connection);
      if (index !== -1) {
        this.idle.splice(index, 1);
        this.drop(connection);
      }
    });
    return connection;
  }

  private drop(connection: Connection): void {
    this.all.delete(connection);
    connection.destroy();
  }

  /** After a drop, a waiter would otherwise wait for a release that may never come. */
  private replaceForWaiter(): void {
    const waiter = this.waiters.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.open().then(
      (connection) => waiter.resolve(this.lend(connection)),
      (error: ClientError) => {
        waiter.reject(error);
        this.replaceForWaiter();
      },
    );
  }

  private evictIdle(): void {
    const cutoff = Date.now() - this.idleTimeoutMs;
    // The stack's bottom holds the longest-idle connections.
    while (this.idle.length > 0 && this.idle[0]!.since <= cutoff) {
      this.drop(this.idle.shift()!.connection);
    }
  }
}
