/**
 * One of `--threads N`'s event loops, in its own worker thread: it attaches to the store, the
 * counters and the `stats conns` table the main thread made (as a ring worker does), listens on
 * its own copy of the one listening socket (the first loop opens the socket, the others copy it),
 * and serves every connection the kernel hands it with phase 2's EventConnection — parsing,
 * executing and replying all in this thread. With TLS (-Z) the listener is this loop's own TLS
 * listener; with authentication (-Y, -S) every socket passes this loop's door; with the edge's
 * timeouts (--idle-timeout, --partial-request-timeout) this loop's guard sweeps its own sockets. The main thread
 * asks it to shut down or close, and tells it of reloads (certificates, users files).
 * @module
 */
import type { Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { LaneSetup } from '../../phase2/ring-dispatcher.ts';
import type { StoreModule, WorkerObserverModule } from '../../phase2/ring-worker.ts';
import { EventConnection, type ConnectionSettings } from '../../phase2/event-connection.ts';
import { SharedStore } from '../../../shared/store/shared-store.ts';
import { ServerCounters } from '../../../shared/runtime/server-counters.ts';
import { ConnectionTable } from '../../../shared/runtime/connection-table.ts';
import { basicServerInfo } from '../../../shared/runtime/basic-server-info.ts';
import { composeServer } from '../../../shared/runtime/compose-server.ts';
import { GuardCounters, refusalCounter } from '../../../shared/runtime/guard-counters.ts';
import { createLogger } from '../../../shared/runtime/logger.ts';
import { SharedLogLevel } from '../../phase3/shared-log-level.ts';
import type { WorkerObserverData } from '../../phase3/worker-observer.ts';
import { LoopTls, type LoopTlsSetup } from '../tls/loop-tls.ts';
import { loopAuth, type LoopAuthSetup } from '../auth/loop-auth.ts';
import { EdgeGuard } from '../edge/edge-guard.ts';
import type { EdgeLimits } from '../edge/edge-limits.ts';
import { clientKey } from '../edge/edge-part.ts';
import { copyListener } from './listener-copy.ts';
import type { LoopReport, LoopRequest } from './loop-messages.ts';

/** Given to each loop thread when it starts. */
export interface LoopSetup extends LaneSetup {
  /** This loop's number (0-based); its request metrics shard is 1 + this (0 is the main thread's). */
  readonly index: number;
  readonly host: string;
  readonly port: number;
  /** The server's `-c`, over every loop: a socket accepted past it is turned away. */
  readonly maxConnections: number;
  /** The listening socket to copy (its descriptor in this process); null: open it on host:port (or `path`). */
  readonly copyOf: number | null;
  /** memcached's -s: the first loop listens on this unix socket instead of TCP; the others copy it as they copy a TCP one. */
  readonly path: string | null;
  /** memcached's -a: the permissions the first loop gives the unix socket once bound; null: the umask's. */
  readonly pathMode: number | null;
  /** The log level at start; phase 3's shared level, when its observer data carries one, follows SIGHUP. */
  readonly logLevel: string;
  /** TLS (-Z): this loop's listener is a TLS one built from these; null: plain TCP. */
  readonly tls: LoopTlsSetup | null;
  /** Authentication (-Y, -S): every socket passes this loop's door; null: none. */
  readonly auth: LoopAuthSetup | null;
  /**
   * The edge (its timeouts: the limits that hold per connection): this loop guards its own
   * sockets, counting in the guard's shared counters (facts.guardStats); null: no edge option set.
   */
  readonly edge: EdgeLimits | null;
}

const setup = workerData as LoopSetup;

/** How often a loop looks at the shared log level (SIGHUP changes it on the main thread). */
const LEVEL_CHECK_MS = 1000;

/** This loop's logger: its lines carry `loop`, so an operator can tell the loops apart. */
function loopLogger(): Logger {
  const shared = (setup.observer?.data as Partial<WorkerObserverData> | undefined)?.logLevel;
  const log = createLogger('phase4-loop', setup.logLevel).child({ loop: setup.index });
  if (shared instanceof SharedArrayBuffer) {
    const level = SharedLogLevel.attach(shared);
    // Unref'd: it must not keep a stopping loop alive.
    setInterval(() => {
      if (log.level !== level.get()) log.level = level.get();
    }, LEVEL_CHECK_MS).unref();
  }
  return log;
}

const log = loopLogger();
// As on the main thread (run-server.ts): a throw that escapes a handler is logged, and the loop
// carries on serving its other connections.
process.on('uncaughtException', (error) => log.error({ err: error }, 'uncaught exception'));
process.on('unhandledRejection', (error) => log.error({ err: error }, 'unhandled rejection'));

const counters = new ServerCounters(setup.countersBuffer);
const table = ConnectionTable.attach(setup.connectionsBuffer);
const store = setup.storeModule
  ? ((await import(setup.storeModule)) as StoreModule).attachStore(setup.storeBuffer)
  : SharedStore.attach(setup.storeBuffer);
const observer = setup.observer
  ? ((await import(setup.observer.module)) as WorkerObserverModule).attachObserver(setup.observer.data, setup.index + 1)
  : undefined;
const guard = setup.edge === null || setup.facts.guardStats === undefined
  ? undefined
  : new EdgeGuard(setup.edge, counters, log, new GuardCounters(setup.facts.guardStats), clientKey);
const settings: ConnectionSettings = {
  context: {
    store,
    server: basicServerInfo({ ...setup.facts, connections: () => table.describe() }, counters),
    maxItemSize: setup.maxItemSize,
    observer,
    onFault: (error) => log.error({ err: error }, 'request failed; answered with an internal error'),
    onRefused: refusalCounter(setup.facts.guardStats),
  },
  counters,
  log,
  requestsPerTurn: setup.requestsPerTurn,
  writeHighWater: setup.writeHighWater,
  guard,
};

const tls = setup.tls === null ? null : new LoopTls(setup.tls, log);
const auth = setup.auth === null ? null : loopAuth(setup.auth, log);
const serve = (socket: Socket): EventConnection => new EventConnection(socket, settings);

const server = await composeServer({
  host: setup.host,
  port: setup.port,
  // Over the sockets of every loop: the listener reserves each place in the shared count.
  maxConnections: setup.maxConnections,
  counters,
  log,
  table,
  // The guard's sweep timer stops with the loop's connections.
  resources: guard === undefined ? [] : [guard],
  handle: setup.copyOf === null ? undefined : await copyListener(setup.copyOf),
  // Only the loop that opens the socket names the path: it alone removes a stale file and binds it.
  path: setup.copyOf === null ? setup.path ?? undefined : undefined,
  pathMode: setup.copyOf === null ? setup.pathMode ?? undefined : undefined,
  createServer: tls?.createServer,
  // The door (as phase 2 puts it in front on the main thread) hands a logged-in socket to `serve`.
  connect: auth === null ? serve : (socket) => auth.frontDoor(socket, serve, counters),
});

function report(message: LoopReport): void {
  parentPort!.postMessage(message);
}

parentPort!.on('message', (request: LoopRequest) => {
  switch (request.kind) {
    case 'shutdown':
      server.shutdown(request.timeoutMs).then((summary) => report({ kind: 'stopped', summary }), (error: unknown) => report({ kind: 'failed', error: String(error) }));
      break;
    case 'close':
      server.close().then(() => report({ kind: 'closed' }), (error: unknown) => report({ kind: 'failed', error: String(error) }));
      break;
    case 'tls-reload':
      // Now rather than at the next handshake, so every loop logs that it has the new certificates.
      tls?.catchUp();
      break;
    case 'auth-reload':
      // A file that fails to load leaves this loop's users as they were (the authenticator logs it).
      auth?.authenticator.reload();
      break;
  }
});

report({ kind: 'listening', address: server.address, descriptor: server.descriptor ?? null });
