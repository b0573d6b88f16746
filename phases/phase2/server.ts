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
import { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { basicServerInfo, type ServerFacts } from '../../shared/runtime/basic-server-info.ts';
import { composeServer, type ComposedServer } from '../../shared/runtime/compose-server.ts';
import { commonSettings } from '../../shared/runtime/server-options.ts';
import type { ParsedOptions } from '../../shared/runtime/cli.ts';
import type { PHASE2_OPTIONS } from './options.ts';
import { EventConnection, type ConnectionSettings } from './event-connection.ts';
import { RingDispatcher } from './ring-dispatcher.ts';
import { RingConnection } from './ring-connection.ts';

/** memcached's version first: clients parse it. */
export const PHASE2_VERSION = '1.6.18-kvlab-phase2';

/** The validated options {@link startPhase2} takes. */
export type Phase2Options = ParsedOptions<typeof PHASE2_OPTIONS>;

/** Builds the store and listens. Resolves once connections can be served. */
export async function startPhase2(options: Phase2Options, log: Logger): Promise<ComposedServer> {
  const memoryBytes = options['memory-mb'] * 1024 * 1024;
  const store = SharedStore.create({ memoryBytes, maxItemSize: options['max-item-size'] });
  const counters = new ServerCounters();
  const facts: ServerFacts = {
    version: PHASE2_VERSION,
    startedAtMs: Date.now(),
    maxConnections: options['max-connections'],
    threads: Math.max(1, options.workers),
    settings: [...commonSettings(options, Math.max(1, options.workers)), ['reqs_per_event', options['requests-per-turn']]],
  };
  const settings: ConnectionSettings = {
    context: {
      store, server: basicServerInfo(facts, counters), maxItemSize: options['max-item-size'],
      onFault: (error) => log.error({ err: error }, 'request failed; answered with an internal error'),
    },
    counters,
    log,
    requestsPerTurn: options['requests-per-turn'],
    writeHighWater: options['write-high-water'],
  };
  const dispatcher = options.workers === 0 ? null : await RingDispatcher.start(
    options.workers,
    {
      storeBuffer: store.buffer, countersBuffer: counters.buffer, facts,
      maxItemSize: options['max-item-size'], requestsPerTurn: options['requests-per-turn'], writeHighWater: options['write-high-water'],
    },
    log,
  );
  return composeServer({
    host: options.host,
    port: options.port,
    maxConnections: options['max-connections'],
    counters,
    log,
    connect: dispatcher
      ? (socket) => new RingConnection(socket, dispatcher, counters, options['write-high-water'], log)
      : (socket) => new EventConnection(socket, settings),
    resources: dispatcher ? [dispatcher] : [],
  });
}
