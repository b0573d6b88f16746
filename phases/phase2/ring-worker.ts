/**
 * A phase 2 worker thread: sleeps on its request ring, and for each record feeds the bytes to that
 * connection's protocol session, executes every complete request, and pushes the replies back on
 * its reply ring. Sessions live here, so parsing and execution both leave the event-loop thread;
 * a connection always goes to the same worker, which keeps its replies in order.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedStore } from '../../shared/store/shared-store.ts';
import type { Store } from '../../shared/store/store.ts';
import { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { basicServerInfo, type ServerFacts } from '../../shared/runtime/basic-server-info.ts';
import { ConnectionTable } from '../../shared/runtime/connection-table.ts';
import type { ConnectionInfo } from '../../shared/protocol/server-info.ts';
import { createSession, Step, type Session, type SessionContext } from '../../shared/protocol/session.ts';
import type { RequestObserver } from '../../shared/protocol/request-observer.ts';
import { signalReady } from '../../shared/runtime/spawn-worker.ts';
import { refusalCounter } from '../../shared/runtime/guard-counters.ts';
import { RingReader, RingWriter } from './ring/ring-buffer.ts';
import type { WorkerFault } from './ring-dispatcher.ts';
import { encodeRecord, RECORD_HEADER, recordConnection, recordKind, recordPayload, RecordKind } from './ring-records.ts';
import { encodeProgress } from './ring-progress.ts';

/** Given to each ring worker when it starts. */
export interface RingWorkerSetup {
  readonly storeBuffer: SharedArrayBuffer;
  readonly countersBuffer: SharedArrayBuffer;
  /** The loop thread's table of open sockets, for `stats conns` (see connection-table.ts). */
  readonly connectionsBuffer: SharedArrayBuffer;
  /** This worker's lane (0-based); a replacement for a dead worker takes its lane. */
  readonly lane: number;
  readonly requests: SharedArrayBuffer;
  readonly replies: SharedArrayBuffer;
  readonly facts: ServerFacts;
  readonly maxItemSize: number;
  /** Requests served per connection before it must wait for a Resume (fairness and backpressure). */
  readonly requestsPerTurn: number;
  /**
   * Reply bytes after which a turn ends early, whatever its request count: the loop thread writes
   * a turn's replies whole, so this bounds what a client that does not read can queue there.
   */
  readonly writeHighWater: number;
  /** The loop guards its connections: report each turn with a Progress record (see ring-record-layout.ts). */
  readonly guarded?: boolean;
  /** A later phase's request observer, to attach in this thread (none: no clock is read). */
  readonly observer?: WorkerObserverSpec;
  /** A later phase's store: a module exporting `attachStore(buffer)` (none: a SharedStore). */
  readonly storeModule?: string;
}

/** What a store module exports (phase 4's slab store). */
export interface StoreModule {
  /** Opens, in this thread, the store whose memory is `buffer`. */
  attachStore(buffer: SharedArrayBuffer): Store;
}

/**
 * How a worker thread gets a request observer without phase 2 knowing whose it is: a module that
 * exports `attachObserver(data)`, and the data to call it with (typically SharedArrayBuffers, so
 * what every thread observes lands in one place).
 */
export interface WorkerObserverSpec {
  /** `file:` URL of the module. */
  readonly module: string;
  readonly data: unknown;
}

/** What such a module exports. */
export interface WorkerObserverModule {
  /**
   * Builds this thread's observer over `data`. `thread` is 1 + the worker's lane (0 is the loop
   * thread's): a replacement for a dead worker gets its lane's number, so an observer may keep
   * memory per thread that only that thread writes.
   */
  attachObserver(data: unknown, thread: number): RequestObserver;
}

const setup = workerData as RingWorkerSetup;
/** `stats conns` in this thread reads the loop thread's table. */
function connectionsOf(table: ConnectionTable): () => ConnectionInfo[] {
  return () => table.describe();
}
const observer = setup.observer
  ? ((await import(setup.observer.module)) as WorkerObserverModule).attachObserver(setup.observer.data, setup.lane + 1)
  : undefined;
const context: SessionContext = {
  observer,
  store: setup.storeModule
    ? ((await import(setup.storeModule)) as StoreModule).attachStore(setup.storeBuffer)
    : SharedStore.attach(setup.storeBuffer),
  server: basicServerInfo({ ...setup.facts, connections: connectionsOf(ConnectionTable.attach(setup.connectionsBuffer)) }, new ServerCounters(setup.countersBuffer)),
  maxItemSize: setup.maxItemSize,
  // The loop's guard counts in this buffer too: a refusal is counted where the session runs.
  onRefused: refusalCounter(setup.facts.guardStats),
  // The loop thread owns the log: a failed request is reported there.
  onFault: (error) => parentPort!.postMessage({ failure: String((error as Error)?.stack ?? error) } satisfies WorkerFault),
};
const requests = new RingReader(setup.requests);
const replies = new RingWriter(setup.replies);
const maxPayload = replies.maxRecordLength - RECORD_HEADER;
const sessions = new Map<number, Session>();
/** Connections this worker closed (quit, hopeless input): bytes still in flight for them are ignored. */
const closing = new Set<number>();
/** Connections that used up their turn and wait for the loop's Resume. */
const paused = new Set<number>();
/** Connections being drained: once their buffered requests are served, they are closed. */
const draining = new Set<number>();
/** Connections whose requests the loop's guard wants refused (a Refuse record), sessions made later included. */
const refusing = new Set<number>();

/** Pushes a record, sleeping while the loop thread has not yet drained the reply ring. */
function send(record: Uint8Array): void {
  while (!replies.tryPush(record)) replies.waitForSpace(record.length);
}

/** Sends reply pieces in records no larger than the ring accepts. */
function sendReplies(connection: number, chunks: Buffer[], bytes: number): void {
  const joined = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
  for (let offset = 0; offset < joined.length; offset += maxPayload) {
    send(encodeRecord(connection, RecordKind.Reply, joined.subarray(offset, offset + maxPayload)));
  }
}

function feed(connection: number, bytes: Buffer): void {
  let session = sessions.get(connection);
  if (session === undefined) {
    session = createSession(bytes[0]!, context);
    session.refusing = refusing.has(connection);
    sessions.set(connection, session);
  }
  session.feed(bytes);
  if (!paused.has(connection)) serve(connection, session);
}

/**
 * Serves one turn of the connection's buffered requests and sends the replies. `resumed`: the turn
 * follows a Resume, so the loop has stopped reading this client and waits to hear it may again.
 */
function serve(connection: number, session: Session | null, resumed = false): void {
  if (session === null) {
    // Drained before it sent a byte: nothing to serve, only to close.
    closing.add(connection);
    draining.delete(connection);
    send(encodeRecord(connection, RecordKind.Close));
    return;
  }
  let step: Step = Step.NeedMore;
  let served = 0;
  for (; served < setup.requestsPerTurn && session.out.bytes <= setup.writeHighWater; served++) {
    step = session.step();
    if (step !== Step.Continue) break;
  }
  if (session.out.bytes > 0) {
    const size = session.out.bytes;
    sendReplies(connection, session.out.take(), size);
  }
  if (setup.guarded && step !== Step.Close) send(encodeProgress(connection, served, step === Step.NeedMore && session.midRequest, session.refusing));
  if (step === Step.Close || (step === Step.NeedMore && draining.has(connection))) {
    sessions.delete(connection);
    draining.delete(connection);
    closing.add(connection);
    send(encodeRecord(connection, RecordKind.Close));
  } else if (step === Step.Continue) {
    paused.add(connection);
    send(encodeRecord(connection, RecordKind.More));
  } else if (resumed) {
    send(encodeRecord(connection, RecordKind.Idle));
  }
}

// Posted before the loop below blocks this thread for good; the main thread receives it regardless.
signalReady();

for (;;) {
  requests.waitForData();
  for (let record = requests.tryPop(); record; record = requests.tryPop()) {
    const connection = recordConnection(record);
    const kind = recordKind(record);
    if (kind === RecordKind.Gone) {
      sessions.delete(connection);
      closing.delete(connection);
      paused.delete(connection);
      draining.delete(connection);
      refusing.delete(connection);
    } else if (closing.has(connection)) {
      continue;
    } else if (kind === RecordKind.Drain) {
      const session = sessions.get(connection);
      draining.add(connection);
      // Paused, it finishes after the loop's Resume; otherwise everything it holds is served now.
      if (session === undefined) serve(connection, null);
      else if (!paused.has(connection)) serve(connection, session);
      continue;
    } else if (kind === RecordKind.Refuse) {
      const on = record[RECORD_HEADER] === 1;
      if (on) refusing.add(connection);
      else refusing.delete(connection);
      const session = sessions.get(connection);
      if (session) session.refusing = on;
    } else if (kind === RecordKind.Resume) {
      paused.delete(connection);
      const session = sessions.get(connection);
      if (session) serve(connection, session, true);
    } else {
      feed(connection, recordPayload(record));
    }
  }
}
