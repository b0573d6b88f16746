/**
 * The event-loop side of `--workers N`: each worker gets a request ring and a reply ring (one
 * producer and one consumer each, so the lock-free SPSC ring fits exactly). A connection is pinned
 * to one worker, chosen round-robin when it opens, so its replies come back in order. The loop
 * thread never blocks: it pushes with tryPush, and learns of replies through Atomics.waitAsync.
 * A worker that dies takes its connections' sessions with it: those connections are closed, and
 * a fresh worker with fresh rings takes its place.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startWorker } from '../../shared/runtime/spawn-worker.ts';
import { createRing, RingReader, RingWriter } from './ring/ring-buffer.ts';
import { encodeRecord, RECORD_HEADER, recordConnection, recordKind, recordPayload, RecordKind } from './ring-records.ts';
import { progressPartial, progressRefused, progressServed } from './ring-progress.ts';
import type { RingWorkerSetup } from './ring-worker.ts';

const WORKER_ENTRY = new URL('./ring-worker.ts', import.meta.url);

/**
 * 4 MiB per ring: a record may be half of it (2 MiB), above the default item size limit, and a
 * burst of replies from a whole turn fits without the worker having to wait.
 */
const RING_BYTES = 4 * 1024 * 1024;

/** What a connection must implement to receive what its worker sends back. */
export interface RingClient {
  /** Reply bytes, in order. */
  reply(bytes: Buffer): void;
  /** The worker asked to close after the replies so far. */
  close(): void;
  /**
   * The worker used up this connection's turn with requests still buffered: stop reading the
   * client, and call {@link RingDispatcher.resume} when its replies are being read.
   */
  more(): void;
  /** After a Resume the worker served everything it held for this connection: read the client again. */
  idle(): void;
  /** The request ring had room again: retry what could not be sent. */
  retry(): void;
  /** The worker serving this connection died: close at once (its session and replies are lost). */
  abort(): void;
  /** A turn ended in the worker (sent only when the connections are guarded): see RecordKind.Progress. */
  progress?(served: number, partial: boolean, refused: boolean): void;
}

/** The payloads of a Refuse record. */
const REFUSE_ON = Uint8Array.of(1);
const REFUSE_OFF = Uint8Array.of(0);

/** What a ring worker posts when a request threw: answered with an internal error, to be logged here. */
export interface WorkerFault {
  readonly failure: string;
}

interface Lane {
  readonly worker: Worker;
  readonly requests: RingWriter;
  readonly replies: RingReader;
  /** The worker died: its sessions are gone, and its rings are read no more. */
  dead: boolean;
}

/** What every ring worker is given besides its own pair of rings. */
export type LaneSetup = Omit<RingWorkerSetup, 'requests' | 'replies' | 'lane'>;

/** Starts the workers and routes bytes between connections and their workers. */
export class RingDispatcher {
  private readonly lanes: Lane[] = [];
  private readonly clients = new Map<number, { client: RingClient; lane: Lane }>();
  /** Connections waiting for room in a full request ring. */
  private readonly waiting = new Set<RingClient>();
  private nextConnection = 1;
  private nextLane = 0;
  private closed = false;

  private constructor(
    private readonly shared: LaneSetup,
    private readonly log: Logger,
  ) {}

  /** Starts `count` workers sharing the store and counters; resolves once every one has loaded. */
  static async start(count: number, shared: LaneSetup, log: Logger): Promise<RingDispatcher> {
    const dispatcher = new RingDispatcher(shared, log);
    for (let i = 0; i < count; i++) dispatcher.lanes.push(await dispatcher.startLane(i));
    return dispatcher;
  }

  /** The worker threads, in lane order (for supervision and tests). */
  get threads(): readonly Worker[] {
    return this.lanes.map((lane) => lane.worker);
  }

  /** Starts one worker with a fresh pair of rings, and watches it. */
  private async startLane(index: number): Promise<Lane> {
    const requests = createRing(RING_BYTES);
    const replies = createRing(RING_BYTES);
    const worker = await startWorker(WORKER_ENTRY, { workerData: { ...this.shared, requests, replies, lane: index } satisfies RingWorkerSetup });
    const lane: Lane = { worker, requests: new RingWriter(requests), replies: new RingReader(replies), dead: false };
    worker.on('error', (error) => this.log.error({ err: error }, 'ring worker failed'));
    worker.on('message', (fault: WorkerFault) => this.log.error({ failure: fault.failure }, 'request failed; answered with an internal error'));
    worker.on('exit', (code) => this.laneDied(index, lane, code));
    void this.drainForever(lane);
    return lane;
  }

  /**
   * A worker died (a crash, or it was killed): the sessions it held are lost, so its connections
   * are closed rather than left waiting for replies that will never come, and a new worker takes
   * its place for the connections that open from now on.
   */
  private laneDied(index: number, lane: Lane, code: number): void {
    lane.dead = true;
    if (this.closed) return;
    const closed = this.abortClientsOf(lane);
    this.log.error({ code, worker: index, closed }, 'ring worker exited; its connections were closed; starting a replacement');
    this.startLane(index).then(
      (fresh) => {
        if (this.closed) return void fresh.worker.terminate();
        this.lanes[index] = fresh;
        // Connections opened while no worker was alive were pinned to the dead lane.
        this.abortClientsOf(lane);
      },
      (error: unknown) => this.log.error({ err: error }, 'could not replace a ring worker'),
    );
  }

  /** Closes every connection pinned to `lane`; returns how many. */
  private abortClientsOf(lane: Lane): number {
    let count = 0;
    for (const [id, entry] of this.clients) {
      if (entry.lane !== lane) continue;
      this.clients.delete(id);
      this.waiting.delete(entry.client);
      entry.client.abort();
      count++;
    }
    return count;
  }

  /** The largest request piece one record carries. */
  get maxPayload(): number {
    return this.lanes[0]!.requests.maxRecordLength - RECORD_HEADER;
  }

  /** Registers a connection and pins it to a worker; returns its id. */
  open(client: RingClient): number {
    const id = this.nextConnection++;
    let lane = this.lanes[this.nextLane++ % this.lanes.length]!;
    // While a dead worker's replacement starts, its share of new connections goes to a live one.
    for (let tries = 1; lane.dead && tries < this.lanes.length; tries++) lane = this.lanes[this.nextLane++ % this.lanes.length]!;
    this.clients.set(id, { client, lane });
    return id;
  }

  /**
   * Sends request bytes (at most {@link maxPayload}) to the connection's worker. Returns false
   * when its ring is full: the connection should pause and wait for {@link RingClient.retry}.
   */
  send(id: number, bytes: Uint8Array): boolean {
    const entry = this.clients.get(id);
    if (!entry) return true;
    if (entry.lane.requests.tryPush(encodeRecord(id, RecordKind.Request, bytes))) return true;
    this.waitForRoom(entry.client);
    return false;
  }

  private waitForRoom(client: RingClient): void {
    this.waiting.add(client);
    // Replies usually announce that a worker made room; requests with noreply produce none, so a
    // timer makes sure the waiting connection tries again.
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.retryWaiting();
    }, 1);
  }

  /**
   * Lets the connection's worker serve its next turn. Returns false when the ring is full; the
   * connection is then retried like a blocked send.
   */
  resume(id: number): boolean {
    const entry = this.clients.get(id);
    if (!entry) return true;
    if (entry.lane.requests.tryPush(encodeRecord(id, RecordKind.Resume))) return true;
    this.waitForRoom(entry.client);
    return false;
  }

  /**
   * Shutting down: the connection's worker serves what it holds, then sends Close. Returns false
   * when the ring is full; the connection is then retried like a blocked send.
   */
  drain(id: number): boolean {
    const entry = this.clients.get(id);
    if (!entry) return true;
    if (entry.lane.requests.tryPush(encodeRecord(id, RecordKind.Drain))) return true;
    this.waitForRoom(entry.client);
    return false;
  }

  /**
   * Tells the connection's worker to refuse its requests (true) or serve them again. Returns false
   * when the ring is full; the connection is then retried like a blocked send.
   */
  refuse(id: number, on: boolean): boolean {
    const entry = this.clients.get(id);
    if (!entry) return true;
    if (entry.lane.requests.tryPush(encodeRecord(id, RecordKind.Refuse, on ? REFUSE_ON : REFUSE_OFF))) return true;
    this.waitForRoom(entry.client);
    return false;
  }

  /** The client went away: tell its worker to drop the session. */
  forget(id: number): void {
    const entry = this.clients.get(id);
    if (!entry) return;
    this.clients.delete(id);
    this.waiting.delete(entry.client);
    const record = encodeRecord(id, RecordKind.Gone);
    // A full ring delays the notice; it is retried after the next batch of replies.
    if (!entry.lane.requests.tryPush(record)) this.pendingForgets.push({ lane: entry.lane, record });
  }

  private readonly pendingForgets: { lane: Lane; record: Uint8Array }[] = [];
  private retryTimer: NodeJS.Timeout | undefined;

  /** Stops routing and terminates the workers; call it after the listener has closed the connections. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
  }

  /** Waits for replies without blocking the loop, and hands each to its connection. */
  private async drainForever(lane: Lane): Promise<void> {
    while (!this.closed && !lane.dead) {
      // A timeout bounds the wait so a closed dispatcher, or a dead lane, stops within a second.
      if (!(await lane.replies.waitForDataAsync(1000))) continue;
      for (let record = lane.replies.tryPop(); record; record = lane.replies.tryPop()) {
        const entry = this.clients.get(recordConnection(record));
        if (!entry) continue;
        const kind = recordKind(record);
        if (kind === RecordKind.Reply) entry.client.reply(recordPayload(record));
        else if (kind === RecordKind.More) entry.client.more();
        else if (kind === RecordKind.Idle) entry.client.idle();
        else if (kind === RecordKind.Progress) entry.client.progress?.(progressServed(record), progressPartial(record), progressRefused(record));
        else entry.client.close();
      }
      this.retryWaiting();
    }
  }

  /** The workers made progress, so their request rings may have room: let blocked senders retry. */
  private retryWaiting(): void {
    while (this.pendingForgets.length > 0) {
      const { lane, record } = this.pendingForgets[0]!;
      if (!lane.dead && !lane.requests.tryPush(record)) break;
      this.pendingForgets.shift();
    }
    if (this.waiting.size === 0) return;
    const clients = [...this.waiting];
    this.waiting.clear();
    for (const client of clients) client.retry();
  }
}
