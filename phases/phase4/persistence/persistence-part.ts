/**
 * Persistence as a part of phase 4: with `--persist DIR`, the store layer that restores the
 * directory and logs every write, and the server's stop extended so that, once connections are
 * done, the log is written out, a snapshot taken and the files closed. Without it, nothing.
 * @module
 */
import type { Logger } from 'pino';
import type { Phase3Server } from '../../phase3/server.ts';
import type { StoreLayerFactory } from '../../../shared/runtime/store-layer.ts';
import type { Phase4Options } from '../config/phase4-config.ts';
import { Persistence } from './persistence.ts';
import { persistenceMetrics } from './persistence-metrics.ts';

/** What phase 4 composes. */
export interface PersistencePart {
  /** Handed to phase 2's assembly; undefined without `--persist`. */
  readonly storeLayer?: StoreLayerFactory;
  /** Persistence's families for the /metrics page; undefined without `--persist`. */
  readonly metrics?: () => string;
  /** The running persistence, once the store layer was built. */
  readonly persistence: () => Persistence | null;
  /** Makes `server`'s shutdown and close end with persistence's clean stop. */
  attach<S extends Phase3Server>(server: S): S;
  /** Closes persistence when the server failed to start after the layer was built. */
  abort(): Promise<void>;
}

/** Persistence for `options`. */
export function persistencePart(options: Phase4Options, log: Logger): PersistencePart {
  const dir = options.persist;
  let running: Persistence | null = null;
  const closeIt = async () => {
    const persistence = running;
    running = null;
    await persistence?.close();
  };
  return {
    storeLayer: dir === null ? undefined : async (store) => {
      running = await Persistence.open(store, {
        dir, fsync: options.fsync, snapshotLogBytes: options['snapshot-log-size'],
        snapshotSeconds: options['snapshot-seconds'], repair: options.repair,
      }, log);
      const persistence = running;
      return { store: persistence.store, commit: persistence.gate, stats: () => persistence.statLines() };
    },
    metrics: dir === null ? undefined : () => (running ? persistenceMetrics(running.stats) : ''),
    persistence: () => running,
    attach(server) {
      if (dir === null) return server;
      const shutdown = server.shutdown.bind(server);
      const close = server.close.bind(server);
      return Object.assign(server, {
        async shutdown(timeoutMs: number) {
          const summary = await shutdown(timeoutMs);
          await closeIt();
          return summary;
        },
        async close() {
          await close();
          await closeIt();
        },
      });
    },
    abort: closeIt,
  };
}
