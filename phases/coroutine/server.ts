/**
 * The coroutine-style server: phase 2's parts — its store, counters, statistics, listener and
 * shutdown — with one part swapped, the connection, which is an `async` loop per socket instead
 * of callbacks (coroutine-connection.ts). Everything a client sees is the same, so the same
 * conformance suite runs against it, and the benchmark compares the two designs and phase 1's
 * thread pool on equal terms (docs/coroutine.md).
 *
 *   socket ─▶ for await (chunk of socket) ─▶ Session ─▶ executor ─▶ SharedStore
 *                 ▲                                         │
 *                 └── await 'drain' / await setImmediate ◀──┘ replies written per turn
 * @module
 */
import type { Logger } from 'pino';
import { composeServer, type ComposedServer } from '../../shared/runtime/compose-server.ts';
import type { ParsedOptions } from '../../shared/runtime/cli.ts';
import { assemblePhase2 } from '../phase2/server.ts';
import { CoroutineConnection, type CoroutineSettings } from './coroutine-connection.ts';
import type { COROUTINE_OPTIONS } from './options.ts';

/** memcached's version first: clients parse it. */
export const COROUTINE_VERSION = '1.6.18-kvlab-coroutine';

/** The validated options {@link startCoroutine} takes. */
export type CoroutineOptions = ParsedOptions<typeof COROUTINE_OPTIONS>;

/** Builds the coroutine server and listens. Resolves once connections can be served. */
export async function startCoroutine(options: CoroutineOptions, log: Logger): Promise<ComposedServer> {
  const assembly = await assemblePhase2({ ...options, workers: 0 }, log, { version: COROUTINE_VERSION });
  const settings: CoroutineSettings = {
    context: {
      store: assembly.store, server: assembly.info, maxItemSize: options['max-item-size'],
      onFault: (error) => log.error({ err: error }, 'request failed; answered with an internal error'),
    },
    counters: assembly.counters,
    log,
    requestsPerTurn: options['requests-per-turn'],
    writeHighWater: options['write-high-water'],
  };
  const server = await composeServer({
    ...assembly.parts,
    connect: (socket) => new CoroutineConnection(socket, settings),
  });
  assembly.table.listeningOn(server.address.host, server.address.port);
  return server;
}
