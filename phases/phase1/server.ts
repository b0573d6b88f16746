/**
 * Phase 1 assembled: a TCP server whose main thread accepts connections and frames commands, a
 * pool of worker threads (or the main thread itself, with `--workers 0`) executing them, and one
 * store in a SharedArrayBuffer that every thread shares under an Atomics lock.
 *
 *   socket ─▶ TextParser ─▶ WorkerPool ─▶ worker: executeText ─▶ SharedStore (SAB + lock)
 *     ▲                                        │
 *     └──────────── reply chunks ◀─────────────┘
 *
 * The guide to this phase: [Phase 1 — the blocking server](../../docs/phase1.md).
 * @module
 */
import type { Logger } from 'pino';
import { SharedStore } from '../../shared/store/shared-store.ts';
import { ServerCounters } from '../../shared/runtime/server-counters.ts';
import { basicServerInfo, type ServerFacts } from '../../shared/runtime/basic-server-info.ts';
import { composeServer, type ComposedServer } from '../../shared/runtime/compose-server.ts';
import { commonSettings } from '../../shared/runtime/server-options.ts';
import type { ParsedOptions } from '../../shared/runtime/cli.ts';
import type { PHASE1_OPTIONS } from './options.ts';
import type { CommandExecutor } from './executor.ts';
import { InlineExecutor } from './inline-executor.ts';
import { WorkerPool } from './worker-pool.ts';
import { BlockingConnection, type BlockingSettings } from './blocking-connection.ts';

/** memcached's version first: clients such as libmemcached parse it. */
export const PHASE1_VERSION = '1.6.18-kvlab-phase1';

/** The validated options {@link startPhase1} takes. */
export type Phase1Options = ParsedOptions<typeof PHASE1_OPTIONS>;

/** Builds the store and executor, then listens. Resolves once connections can be served. */
export async function startPhase1(options: Phase1Options, log: Logger): Promise<ComposedServer> {
  const store = SharedStore.create({ memoryBytes: options['memory-mb'] * 1024 * 1024, maxItemSize: options['max-item-size'] });
  const counters = new ServerCounters();
  const facts: ServerFacts = {
    version: PHASE1_VERSION,
    startedAtMs: Date.now(),
    maxConnections: options['max-connections'],
    threads: Math.max(1, options.workers),
    settings: [...commonSettings(options, Math.max(1, options.workers)), ['inter', options.host], ['binding_protocol', 'ascii']],
  };
  const executor: CommandExecutor =
    options.workers === 0
      ? new InlineExecutor(store, basicServerInfo(facts, counters), (error) => log.error({ err: error }, 'command failed; answered with SERVER_ERROR'))
      : await WorkerPool.start(options.workers, { storeBuffer: store.buffer, countersBuffer: counters.buffer, facts }, log);

  const settings: BlockingSettings = {
    executor, counters, log, maxItemSize: options['max-item-size'], writeHighWater: options['write-high-water'],
  };
  return composeServer({
    host: options.host,
    port: options.port,
    maxConnections: options['max-connections'],
    counters,
    log,
    connect: (socket) => new BlockingConnection(socket, settings),
    resources: [executor],
  });
}
