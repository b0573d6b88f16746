/**
 * A test bench for exercise 2.4 (event-connection): a loopback server that wraps each accepted
 * socket in the EventConnection under test, with a spy on the server side of every socket that
 * records each write (which connection, how many bytes, how much was left unwritten) and each
 * pause, and simple clients that collect what they receive.
 * @module
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import { SharedStore } from '../../store/shared-store.ts';
import { ServerCounters } from '../../runtime/server-counters.ts';
import { basicServerInfo } from '../../runtime/basic-server-info.ts';
import type { ConnectionSettings } from '../../../phases/phase2/event-connection.ts';

/** What the bench needs of the connection under test: the learner's EventConnection, or the reference. */
export type ConnectionClass = new (socket: Socket, settings: ConnectionSettings) => object;

/** The version the bench's server reports. */
export const BENCH_VERSION = '1.6.18-kvlab-course';

/** One write the server made. */
export interface WriteRecord {
  /** Which accepted connection (0, 1, … in accept order). */
  readonly connection: number;
  readonly length: number;
  /** The bytes as latin1 text, for writes up to 4 KiB (larger ones are only counted). */
  readonly text: string;
  /** `socket.writableLength` right after the write: reply bytes not yet taken by the kernel. */
  readonly unwritten: number;
}

/** How often a client's wait looks at its stop condition. */
const STOP_CHECK_MS = 20;

/** Writes up to this size are kept as text; larger ones (values of 64 KiB) only counted. */
const SMALL_WRITE = 4096;

/** What the spy saw on the server side. */
export interface SpyLog {
  readonly writes: WriteRecord[];
  /** `writableLength` at each `socket.pause()`, per connection. */
  readonly pauses: { connection: number; unwritten: number }[];
  /** 'data' events per connection. */
  readonly reads: number[];
  /** Called on every write (a check may react, e.g. by sending on another connection). */
  onWrite: ((record: WriteRecord) => void) | null;
  /** What the connection under test threw from its socket handlers (a `todo()`, a bug). */
  readonly thrown: unknown[];
}

/** A running bench server. */
export interface BenchServer {
  readonly port: number;
  readonly spy: SpyLog;
  /** Connections accepted so far. */
  accepted(): number;
  /**
   * Waits until `ready()` holds, `timeoutMs` passes, or the connection under test throws — and
   * then rethrows what it threw, so the check fails with the learner's error at once.
   */
  settle(client: BenchClient, ready: () => boolean, timeoutMs: number): Promise<void>;
  /** Closes every connection, then the server. */
  close(): Promise<void>;
}

/** Starts a server whose connections are `Connection`s with these turn and high-water settings. */
export async function startBench(
  Connection: ConnectionClass, requestsPerTurn: number, writeHighWater: number,
): Promise<BenchServer> {
  const counters = new ServerCounters();
  const facts = { version: BENCH_VERSION, startedAtMs: Date.now(), maxConnections: 100, threads: 1, settings: [] };
  const settings: ConnectionSettings = {
    context: { store: SharedStore.create({ memoryBytes: 16 * 1024 * 1024 }), server: basicServerInfo(facts, counters), maxItemSize: 1024 * 1024 },
    counters,
    log: pino({ level: 'silent' }),
    requestsPerTurn,
    writeHighWater,
  };
  const spy: SpyLog = { writes: [], pauses: [], reads: [], onWrite: null, thrown: [] };
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    const connection = accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    spy.reads[connection] = 0;
    socket.on('data', () => spy.reads[connection]!++);
    watch(socket, connection, spy);
    new Connection(socket, settings);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    spy,
    accepted: () => accepted,
    settle: async (client, ready, timeoutMs) => {
      await client.until(() => ready() || spy.thrown.length > 0, timeoutMs, () => spy.thrown.length > 0);
      if (spy.thrown.length > 0) throw spy.thrown[0];
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Wraps the socket's write and pause so the spy sees each call, and its emit to catch what handlers throw. */
function watch(socket: Socket, connection: number, spy: SpyLog): void {
  const emit: (event: string, ...args: unknown[]) => boolean = socket.emit.bind(socket);
  // bind() keeps the original method: the spy below replaces socket.write itself.
  const write: (chunk: Buffer) => boolean = socket.write.bind(socket);
  const pause = socket.pause.bind(socket);
  Object.assign(socket, {
    write(chunk: Buffer): boolean {
      const ok = write(chunk);
      const text = chunk.length <= SMALL_WRITE ? Buffer.from(chunk).toString('latin1') : '';
      const record = { connection, length: chunk.length, text, unwritten: socket.writableLength };
      spy.writes.push(record);
      spy.onWrite?.(record);
      return ok;
    },
    pause(): Socket {
      spy.pauses.push({ connection, unwritten: socket.writableLength });
      return pause();
    },
    emit(event: string, ...args: unknown[]): boolean {
      try {
        return emit(event, ...args);
      } catch (error) {
        // Thrown by the connection's own 'data' or 'drain' handler: keep it for the check to report.
        spy.thrown.push(error);
        socket.destroy();
        return true;
      }
    },
  });
}

/** A client that keeps everything it receives. */
export class BenchClient {
  /** Bytes received so far. */
  length = 0;
  ended = false;
  private readonly chunks: Buffer[] = [];
  private wake: (() => void) | null = null;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      // Kept as a list: joining on every chunk would copy megabytes again and again.
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.wake?.();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on('error', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  /** Everything received, as one Buffer. */
  get received(): Buffer {
    if (this.chunks.length > 1) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks, this.length));
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Connects to the bench server on loopback `port`. */
  static connect(port: number): Promise<BenchClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new BenchClient(socket)));
      socket.once('error', reject);
    });
  }

  /**
   * Waits until `ready()` holds or `timeoutMs` passes; returns `ready()`. `stop()` is looked at
   * every few milliseconds too, for conditions that no data event announces.
   */
  async until(ready: () => boolean, timeoutMs: number, stop: () => boolean = () => false): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!ready() && !stop() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, Math.min(STOP_CHECK_MS, deadline - Date.now())));
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
    return ready();
  }

  /** The received bytes as latin1 text. */
  text(): string {
    return this.received.toString('latin1');
  }

  /** Closes the connection at once. */
  close(): void {
    this.socket.destroy();
  }
}

/** Waits (polling, bounded) until `ready()` holds: for conditions that no event announces. */
export async function eventually(ready: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return ready();
}
