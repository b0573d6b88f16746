/**
 * Phase 3 assembled: phase 2's server, unchanged in how it serves, plus the parts that make it
 * operable — request latency histograms and a slow-request log hung on every session (on the loop
 * or in each ring worker), Prometheus metrics and health over a separate HTTP listener, and a
 * readiness that turns false the moment a shutdown starts draining.
 *
 *   phase 2 parts ──▶ composeServer ──▶ connections ─┬─▶ RequestMetrics (SAB, every thread)
 *                                                    └─▶ SlowRequests ─▶ log
 *   metrics listener: /metrics ◀── stats + store stats + histograms;  /healthz;  /readyz
 *
 * The guide to this phase: [Phase 3 — the production server](../../docs/phase3.md).
 * @module
 */
import type { Logger } from 'pino';
import { composeServer, type ComposedServer, type ShutdownSummary } from '../../shared/runtime/compose-server.ts';
import { assemblePhase2, type Phase2Additions } from '../phase2/server.ts';
import type { ServerFactory } from '../../shared/runtime/tcp-listener.ts';
import type { Stat } from '../../shared/protocol/server-info.ts';
import { RequestMetrics } from './metrics/request-metrics.ts';
import { renderMetrics } from './metrics/prometheus-exposition.ts';
import { startMetricsServer, type MetricsServer } from './metrics/metrics-server.ts';
import type { Phase3Options } from './config/phase3-options.ts';
import { ObserverList } from './observers.ts';
import { SlowRequests } from './slow-requests.ts';
import { ProtocolErrors } from './protocol-errors.ts';
import type { WorkerObserverData } from './worker-observer.ts';
import { SharedLogLevel } from './shared-log-level.ts';

/** memcached's version first: clients parse it. */
export const PHASE3_VERSION = '1.6.18-kvlab-phase3';

/** A running phase 3 server. */
export interface Phase3Server extends ComposedServer {
  /** Where /metrics, /healthz and /readyz are served, when `--metrics-port` is set. */
  readonly metricsAddress: { host: string; port: number } | null;
  /** Latency histograms and outcome counts of every thread. */
  readonly metrics: RequestMetrics;
  /** Applies a new slow-request threshold in every thread (SIGHUP). */
  setSlowMs(slowMs: number): void;
  /** Applies a new log level in the worker threads too (SIGHUP; the main logger is set by its owner). */
  setLogLevel(level: string): void;
  /** True from the moment connections are served until a shutdown starts. */
  readonly ready: boolean;
}

/**
 * What a later phase adds to phase 3's parts. Phase 4 swaps the store and the listener and adds
 * connection parts; phase 3's own observers, settings and metrics stay as they are.
 */
export interface Phase3Additions {
  /** Reported by `version` and `stats` (default {@link PHASE3_VERSION}). */
  readonly version?: string;
  /** More `stats settings` lines. */
  readonly settings?: readonly Stat[];
  /** Handed on to phase 2's assembly: what phase 3 itself does not set there. */
  readonly phase2?: Omit<Phase2Additions, 'version' | 'observer' | 'workerObserver' | 'settings' | 'shutdownEnabled'>;
  /** Makes the listening server (phase 4: a TLS server); plain TCP by default. */
  readonly createServer?: ServerFactory;
  /** More families for the /metrics page (phase 4's persistence), in the text format, ending in a newline. */
  readonly metrics?: () => string;
}

const WORKER_OBSERVER = new URL('./worker-observer.ts', import.meta.url).href;

/** Builds phase 3 and listens. Resolves once connections can be served. */
export async function startPhase3(options: Phase3Options, log: Logger, additions: Phase3Additions = {}): Promise<Phase3Server> {
  // A shard for the loop thread and one for each ring worker, or each of phase 4's loop threads (see request-metrics.ts).
  const metrics = RequestMetrics.create(1 + Math.max(options.workers, additions.phase2?.loops?.count ?? 0));
  const slow = SlowRequests.create(options['slow-ms'], log);
  const logLevel = SharedLogLevel.create(options['log-level']);
  const workerData: WorkerObserverData = { metrics: metrics.buffer, slow: slow.buffer, logName: 'phase3-worker', logLevel: logLevel.buffer };
  const assembly = await assemblePhase2(options, log, {
    ...additions.phase2,
    version: additions.version ?? PHASE3_VERSION,
    observer: new ObserverList([metrics, slow, new ProtocolErrors(log)]),
    workerObserver: { module: WORKER_OBSERVER, data: workerData },
    settings: [
      ['shutdown_command', options['enable-shutdown'] ? 'yes' : 'no'],
      // memcached names its unix socket here (NULL without one), as `-s` gave it.
      ['domain_socket', options['unix-socket'] ?? 'NULL'],
      ['umask', options['unix-mask'].toString(8)],
      ...(additions.settings ?? []),
    ],
    shutdownEnabled: options['enable-shutdown'],
  });
  let ready = false;
  let metricsServer: MetricsServer | null = null;
  if (options['metrics-port'] !== null) {
    metricsServer = await startMetricsServer({
      host: options['metrics-host'],
      port: options['metrics-port'],
      render: () => renderMetrics({
        up: true,
        stats: [...assembly.info.stats(), ...Object.entries(assembly.store.stats())],
        settings: assembly.info.settings(),
        requests: metrics.snapshot(),
      }) + (additions.metrics?.() ?? ''),
      ready: () => ready,
      log,
    });
  }
  const resources = [...(assembly.parts.resources ?? []), ...(metricsServer ? [metricsServer] : [])];
  let server: ComposedServer;
  try {
    // memcached's -s: the unix socket replaces TCP.
    server = await composeServer({
      ...assembly.parts, resources, path: options['unix-socket'] ?? undefined, pathMode: options['unix-mask'], createServer: additions.createServer,
    });
  } catch (error) {
    await metricsServer?.close();
    throw error;
  }
  assembly.table.listeningOn(server.address.host, server.address.port);
  ready = true;
  return {
    address: server.address,
    connections: server.connections,
    metricsAddress: metricsServer?.address ?? null,
    metrics,
    get ready() {
      return ready;
    },
    setSlowMs: (slowMs) => slow.setThreshold(slowMs),
    setLogLevel: (level) => logLevel.set(level),
    shutdown(timeoutMs: number): Promise<ShutdownSummary> {
      // Not ready first: a load balancer polling /readyz stops sending before connections drain.
      ready = false;
      return server.shutdown(timeoutMs);
    },
    close(): Promise<void> {
      ready = false;
      return server.close();
    },
  };
}
