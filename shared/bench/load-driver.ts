/**
 * Drives one connection for the load generator, at as little cost per request as Node allows: the
 * requests are prebuilt buffers written as they are, replies land in one static read buffer per
 * connection (`onread`) and are counted by a byte-scanning {@link ReplyCounter} — no reply object,
 * no promise, no closure per request. The intended and actual send time of each request in flight
 * sit in two rings: replies come back in order, so the oldest time belongs to the next reply. In
 * a closed loop each reply immediately triggers the next request; in an open loop a scheduler
 * calls `send`.
 * @module
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { LoadRecorder } from './latency-recorder.ts';
import { replyCounterFor, type ReplyCounter, type ReplyOutcome, type ReplySink } from './reply-counter.ts';
import type { RequestTable, Xorshift32 } from './workload.ts';

/**
 * How late a request may leave its scheduled slot before the delay counts as latency. Node timers
 * fire at best once per millisecond and often a little later, so the open-loop scheduler releases
 * requests up to ~1.5 ms after their slot even on an idle machine: that lag belongs to the load
 * generator, not the server. Any lag beyond this — a stalled loop, a full pipeline — counts in
 * full, which is what coordinated-omission correction is for.
 */
export const TIMER_SLACK_MS = 2;
/**
 * Bytes of each connection's static read buffer: a turn of 16 pipelined 100-byte get replies is
 * ~2 KB, and 64 KiB holds a 1 MiB value's reply in 16 reads without a copy.
 */
const READ_BUFFER_BYTES = 64 * 1024;

/** What all drivers of one generator thread share. */
export interface DriverContext {
  readonly table: RequestTable;
  readonly random: Xorshift32;
  readonly recorder: LoadRecorder;
  readonly getRatio: number;
  /** `text` or `binary`: how replies are counted. */
  readonly protocol: string;
  /** True while new requests may be sent. */
  running: boolean;
  /** Closed loop: send the next request as each reply arrives. */
  readonly closedLoop: boolean;
  /** Called when `driver` has nothing left in flight (after `running` went false, or after a failure). */
  onIdle(driver: LoadDriver): void;
}

/** One connection's load. */
export class LoadDriver implements ReplySink {
  private readonly socket: Socket;
  private readonly context: DriverContext;
  private readonly counter: ReplyCounter;
  private readonly intended: Float64Array;
  private readonly sent: Float64Array;
  private head = 0;
  private count = 0;
  private dead = false;
  /** When the read being scanned arrived: one clock reading serves every reply in it. */
  private readAt = 0;
  /**
   * Cork around a read's replies only when several requests may follow one read: corking a single
   * write sends it through the stream's writev path, which costs more than a plain write.
   */
  private readonly batches: boolean;

  private constructor(host: string, port: number, context: DriverContext, capacity: number) {
    this.context = context;
    this.counter = replyCounterFor(context.protocol, this);
    this.intended = new Float64Array(capacity);
    this.sent = new Float64Array(capacity);
    this.batches = capacity > 1;
    this.socket = connect({
      host, port, noDelay: true,
      onread: { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: this.onRead },
    });
  }

  /**
   * Opens a connection and its driver.
   * @param capacity - the most requests in flight (the pipeline depth in a closed loop)
   * @throws the socket's error when the connect fails
   */
  static open(host: string, port: number, context: DriverContext, capacity: number): Promise<LoadDriver> {
    return new Promise((resolve, reject) => {
      const driver = new LoadDriver(host, port, context, capacity);
      const socket = driver.socket;
      socket.once('connect', () => resolve(driver));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (!socket.connecting && driver.dead === false) driver.failAll(error.code ?? 'SOCKET_ERROR');
        reject(error);
      });
      socket.on('close', () => driver.failAll('CONNECTION_CLOSED'));
    });
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.count;
  }

  /** True while another request fits in flight and the connection is alive. */
  get canSend(): boolean {
    return !this.dead && this.count < this.intended.length;
  }

  /** Sends one request whose schedule said `intendedTime` (performance.now() milliseconds). */
  send(intendedTime: number): void {
    this.sendAt(intendedTime, performance.now());
  }

  /** Fills the pipeline: the start of a closed loop. */
  fill(): void {
    const now = performance.now();
    this.socket.cork();
    while (this.canSend) this.sendAt(now, now);
    this.socket.uncork();
  }

  /** One reply to the oldest request in flight (called by the counter). */
  onReply(outcome: ReplyOutcome): void {
    if (this.count === 0) {
      // A reply nobody asked for: the stream is out of step, which is an error of the server's.
      this.context.recorder.fail('UNEXPECTED_REPLY');
      return;
    }
    const now = this.readAt;
    const intended = this.intended[this.head]!;
    const sent = this.sent[this.head]!;
    this.head = (this.head + 1) % this.intended.length;
    this.count--;
    this.context.recorder.record(outcome, now - Math.min(sent, intended + TIMER_SLACK_MS), now - sent);
    if (this.context.running) {
      if (this.context.closedLoop) this.sendAt(now, now);
    } else if (this.count === 0) {
      this.context.onIdle(this);
    }
  }

  /** Fails every request in flight with `code` once the oldest is older than `timeoutMs`. */
  checkTimeout(now: number, timeoutMs: number): void {
    if (this.count > 0 && now - this.sent[this.head]! > timeoutMs) {
      this.failAll('TIMEOUT');
      this.socket.destroy();
    }
  }

  /** Closes the connection; requests still in flight count as lost. */
  close(): void {
    this.failAll('CONNECTION_CLOSED');
    this.socket.destroy();
  }

  private sendAt(intendedTime: number, now: number): void {
    const { table, random, getRatio } = this.context;
    const key = random.below(table.gets.length);
    const isGet = random.next() < getRatio;
    const slot = (this.head + this.count) % this.intended.length;
    this.intended[slot] = intendedTime;
    this.sent[slot] = now;
    this.count++;
    this.socket.write(isGet ? table.gets[key]! : table.sets[key]!);
  }

  /**
   * A read arrived in the static buffer: count its replies (and, pipelined, write the requests
   * they trigger in one batch). One function per connection, made with the driver.
   */
  private readonly onRead = (length: number, bytes: Uint8Array): boolean => {
    this.readAt = performance.now();
    if (this.batches) this.socket.cork();
    this.counter.feed(bytes, 0, length);
    if (this.batches) this.socket.uncork();
    if (this.counter.broken && !this.dead) {
      this.failAll('UNREADABLE_REPLY');
      this.socket.destroy();
    }
    return true;
  };

  /** The connection is finished: every request in flight is lost with `code`. */
  private failAll(code: string): void {
    if (this.dead) return;
    this.dead = true;
    if (this.count > 0) this.context.recorder.fail(code, this.count);
    this.count = 0;
    this.context.onIdle(this);
  }
}
