/**
 * Drives one connection for the load generator. It is the connection's reply listener, one object
 * for all its requests, and keeps the intended and actual send time of each request in flight in
 * two rings: replies come back in order, so the oldest time belongs to the next reply. In a closed
 * loop each reply immediately triggers the next request; in an open loop a scheduler calls `send`.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { ClientError } from '../client/client-errors.ts';
import type { Connection } from '../client/connection.ts';
import type { Reply } from '../client/reply.ts';
import type { ReplyListener } from '../client/reply-listener.ts';
import type { LoadRecorder } from './latency-recorder.ts';
import type { RequestTable, Xorshift32 } from './workload.ts';

/**
 * How late a request may leave its scheduled slot before the delay counts as latency. Node timers
 * fire at best once per millisecond and often a little later, so the open-loop scheduler releases
 * requests up to ~1.5 ms after their slot even on an idle machine: that lag belongs to the load
 * generator, not the server. Any lag beyond this — a stalled loop, a full pipeline — counts in
 * full, which is what coordinated-omission correction is for.
 */
export const TIMER_SLACK_MS = 2;

/** What all drivers of one run share. */
export interface DriverContext {
  readonly table: RequestTable;
  readonly random: Xorshift32;
  readonly recorder: LoadRecorder;
  readonly getRatio: number;
  /** True while new requests may be sent. */
  running: boolean;
  /** Closed loop: send the next request as each reply arrives. */
  readonly closedLoop: boolean;
  /** Called when `driver` has nothing left in flight (after `running` went false, or after a failure). */
  onIdle(driver: LoadDriver): void;
}

/** One connection's load. */
export class LoadDriver implements ReplyListener {
  private readonly connection: Connection;
  private readonly context: DriverContext;
  private readonly intended: Float64Array;
  private readonly sent: Float64Array;
  private head = 0;
  private count = 0;
  private dead = false;

  /**
   * @param connection - an open connection, used by this driver only
   * @param context - shared state of the run
   * @param capacity - the most requests in flight (the pipeline depth in a closed loop)
   */
  constructor(connection: Connection, context: DriverContext, capacity: number) {
    this.connection = connection;
    this.context = context;
    this.intended = new Float64Array(capacity);
    this.sent = new Float64Array(capacity);
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
    const { table, random, getRatio } = this.context;
    const key = random.below(table.gets.length);
    const isGet = random.next() < getRatio;
    const slot = (this.head + this.count) % this.intended.length;
    this.intended[slot] = intendedTime;
    this.sent[slot] = performance.now();
    this.count++;
    if (isGet) this.connection.send(table.gets[key]!, table.getShape, this);
    else this.connection.send(table.sets[key]!, table.setShape, this);
  }

  /** Fills the pipeline: the start of a closed loop. */
  fill(): void {
    const now = performance.now();
    while (this.canSend) this.send(now);
  }

  /** A reply to the oldest request in flight. */
  onReply(reply: Reply): void {
    const now = performance.now();
    const intended = this.intended[this.head]!;
    const sent = this.sent[this.head]!;
    this.head = (this.head + 1) % this.intended.length;
    this.count--;
    this.context.recorder.record(reply, now - Math.min(sent, intended + TIMER_SLACK_MS), now - sent);
    if (this.context.running) {
      if (this.context.closedLoop) this.send(now);
    } else if (this.count === 0) {
      this.context.onIdle(this);
    }
  }

  /** The oldest request will get no reply; the connection is finished. */
  onFailure(error: ClientError): void {
    this.dead = true;
    this.head = (this.head + 1) % this.intended.length;
    this.count--;
    this.context.recorder.fail(error.code);
    if (this.count === 0) this.context.onIdle(this);
  }
}
