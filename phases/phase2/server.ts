/**
 * Phase 2 assembled: one event loop multiplexing every connection. Each connection's first byte
 * picks a text or binary session; requests are executed where they are parsed — on the loop
 * (the default) or, with `--workers N`, in worker threads fed through lock-free rings.
 *
 *   socket ─▶ EventConnection ─▶ Session (TextParser | BinaryParser) ─▶ executor ─▶ SharedStore
 *     ▲            │ up to N requests per turn, then yield                             │
 *     └────────────┴──────────── all replies of the turn in one write ◀───────────────┘
 *
 * The guide to this phase: [Phase 2 — the event-driven server](../../docs/phase2.md).
 * @module
 */
import type { Logger } from 'pino';
import { SharedStore } from '../../shared/store/shared-store.ts';
import type { Store } from '../../shared/store/store.ts';
import { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { basicServerInfo, type ServerFacts } from '../../shared/runtime/basic-server-info.ts';
import { composeServer, type ComposedServer, type ServerParts } from '../../shared/runtime/compose-server.ts';
import type { RequestObserver } from '../../shared/protocol/request-observer.ts';
import type { ServerInfo, Stat } from '../../shared/protocol/server-info.ts';
import { commonSettings } from '../../shared/runtime/server-options.ts';
import type { ParsedOptions } from '../../shared/runtime/cli.ts';
import type { PHASE2_OPTIONS } from './options.ts';
import { EventConnection, type ConnectionSettings } from './event-connection.ts';
import { RingDispatcher, type LaneSetup } from './ring-dispatcher.ts';
import { RingConnection } from './ring-connection.ts';
import { ConnectionTable } from '../../shared/runtime/connection-table.ts';
import type { WorkerObserverSpec } from './ring-worker.ts';
import { withLayerStats, type StoreLayerFactory } from '../../shared/runtime/store-layer.ts';
import type { GuardSetup } from '../../shared/runtime/connection-guard.ts';
import { refusalCounter } from '../../shared/runtime/guard-counters.ts';
import type { TlsFacts } from '../../shared/runtime/tls-facts.ts';
import type { Socket } from 'node:net';
import type { Connection } from '../../shared/runtime/connection.ts';

/** memcached's version first: clients parse it. */
export const PHASE2_VERSION = '1.6.18-kvlab-phase2';

/** The validated options {@link startPhase2} takes. */
export type Phase2Options = ParsedOptions<typeof PHASE2_OPTIONS>;

/** What a later phase adds to phase 2's parts (phase 3: its version, observers, settings). */
export interface Phase2Additions {
  /** Reported by `version` and `stats` (default {@link PHASE2_VERSION}). */
  readonly version?: string;
  /** Told of every request executed on the loop thread (`--workers 0`). */
  readonly observer?: RequestObserver;
  /** How each ring worker attaches its own observer (`--workers N`). */
  readonly workerObserver?: WorkerObserverSpec;
  /** More `stats settings` lines. */
  readonly settings?: readonly Stat[];
  /** Serve memcached's `shutdown` command (its `-A`). */
  readonly shutdownEnabled?: boolean;
  /** A later phase's store instead of a SharedStore (phase 4: slab memory); ring workers attach to its buffer. */
  readonly store?: StoreChoice;
  /** A layer over the store that requests on the loop use (phase 4's persistence; not with ring workers). */
  readonly storeLayer?: StoreLayerFactory;
  /** Guards every connection, in both execution models (phase 4's edge: limits and timeouts). */
  readonly guard?: GuardSetup;
  /** TLS on the listener, as the executors see it (phase 4): its stats and `refresh_certs`. */
  readonly tls?: TlsFacts;
  /**
   * Stands in front of every accepted socket (phase 4's authentication): it is given the socket
   * first, and hands it to `serve` — the connection this phase would have made — when it chooses.
   */
  readonly frontDoor?: FrontDoor;
  /**
   * Serves in event loops on worker threads instead of this thread's (phase 4's `--threads`): each
   * attaches to the store, counters and connection table as a ring worker does, and runs its own
   * connections; this thread keeps the store's owner, the signals and the resources.
   */
  readonly loops?: LoopsChoice;
}

/** See {@link Phase2Additions.loops}. */
export interface LoopsChoice {
  /** How many loops: memcached's `threads`, as `stats` reports it. */
  readonly count: number;
  /** Serves `parts` in the loops; `shared` is what every loop thread attaches to (a ring worker's setup, less its rings). */
  serve(shared: LaneSetup, parts: ServerParts): Promise<ComposedServer>;
}

/**
 * See {@link Phase2Additions.store}: the store, made on this thread, and the `file:` URL of a
 * module exporting `attachStore(buffer)`, which each ring worker calls on `store.buffer`.
 */
export interface StoreChoice {
  readonly store: Store & { readonly buffer: SharedArrayBuffer };
  readonly module: string;
}

/** See {@link Phase2Additions.frontDoor}: returns the connection the server registers for `socket`. */
export type FrontDoor = (socket: Socket, serve: (socket: Socket) => Connection, counters: ServerCounters) => Connection;

/** Phase 2's parts, ready for the composition root, and what a later phase reads from them. */
export interface Phase2Assembly {
  readonly parts: ServerParts;
  readonly store: Store & { readonly buffer: SharedArrayBuffer };
  readonly counters: ServerCounters;
  /** The server as the executors see it (version, stats, settings). */
  readonly info: ServerInfo;
  /** Open sockets for `stats conns`; tell it the listening address once bound. */
  readonly table: ConnectionTable;
}

/** Builds the store, the executors (on the loop or in ring workers) and the connection factory. */
export async function assemblePhase2(options: Phase2Options, log: Logger, additions: Phase2Additions = {}): Promise<Phase2Assembly> {
  const memoryBytes = options['memory-mb'] * 1024 * 1024;
  const store = additions.store?.store ?? SharedStore.create({ memoryBytes, maxItemSize: options['max-item-size'] });
  const counters = new ServerCounters();
  const layer = additions.storeLayer && await additions.storeLayer(store);
  const guard = additions.guard?.create(counters);
  const facts: ServerFacts = {
    version: additions.version ?? PHASE2_VERSION,
    startedAtMs: Date.now(),
    maxConnections: options['max-connections'],
    threads: additions.loops?.count ?? Math.max(1, options.workers),
    settings: [
      ...commonSettings(options, additions.loops?.count ?? Math.max(1, options.workers)), ['reqs_per_event', options['requests-per-turn']],
      ['inter', options.host], ['binding_protocol', 'auto-negotiate'], ...(additions.settings ?? []),
    ],
    shutdownEnabled: additions.shutdownEnabled,
    ...(additions.guard ? { idleTimeoutSeconds: additions.guard.idleTimeoutSeconds, guardStats: additions.guard.stats } : {}),
    ...(additions.tls ? { tls: additions.tls } : {}),
  };
  // This thread owns the sockets and writes the table; it lives in shared memory, so a ring worker
  // that executes `stats conns` reads the same rows (facts travel by structured clone, no functions).
  const table = ConnectionTable.create(options['max-connections']);
  const info = basicServerInfo({ ...facts, connections: () => table.describe() }, counters);
  const settings: ConnectionSettings = {
    context: {
      store: layer?.store ?? store, server: withLayerStats(info, layer), maxItemSize: options['max-item-size'], observer: additions.observer,
      onFault: (error) => log.error({ err: error }, 'request failed; answered with an internal error'),
      onRefused: refusalCounter(additions.guard?.stats),
    },
    counters,
    log,
    requestsPerTurn: options['requests-per-turn'],
    writeHighWater: options['write-high-water'],
    guard,
    commit: layer?.commit,
  };
  // What a thread other than this one attaches to, to execute requests: a ring worker or a loop.
  const shared: LaneSetup = {
    storeBuffer: store.buffer, countersBuffer: counters.buffer, connectionsBuffer: table.buffer, facts,
    maxItemSize: options['max-item-size'], requestsPerTurn: options['requests-per-turn'], writeHighWater: options['write-high-water'],
    observer: additions.workerObserver,
    storeModule: additions.store?.module,
    guarded: guard !== undefined,
  };
  const dispatcher = options.workers === 0 ? null : await RingDispatcher.start(options.workers, shared, log);
  const parts: ServerParts = {
    host: options.host,
    port: options.port,
    maxConnections: options['max-connections'],
    counters,
    log,
    admit: guard && ((socket) => guard.admit(socket)),
    table,
    connect: dispatcher
      ? (socket) => new RingConnection(socket, dispatcher, counters, options['write-high-water'], log, guard)
      : (socket) => new EventConnection(socket, settings),
    resources: [...(dispatcher ? [dispatcher] : []), ...(guard ? [guard] : [])],
    elsewhere: additions.loops && ((served) => additions.loops!.serve(shared, served)),
  };
  // A front door (phase 4's authentication) sees each socket before the connection that serves it.
  const door = additions.frontDoor;
  const served: ServerParts = door ? { ...parts, connect: (socket) => door(socket, parts.connect, counters) } : parts;
  return { parts: served, store, counters, info, table };
}

/** Builds phase 2 and listens. Resolves once connections can be served. */
export async function startPhase2(options: Phase2Options, log: Logger): Promise<ComposedServer> {
  const assembly = await assemblePhase2(options, log);
  const server = await composeServer(assembly.parts);
  assembly.table.listeningOn(server.address.host, server.address.port);
  return server;
}
