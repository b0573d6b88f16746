/**
 * Phase 4 assembled: phase 3's production server with parts swapped in and added — the parts
 * this phase teaches live in the folders beside this file, and this file only composes them.
 *
 *   listener (TCP | TLS) ─▶ edge (limits, timeouts) ─▶ phase 3 connections ─▶ Store
 *                                                                   (slab memory, LRU, persistence)
 *   --threads N: N loop threads each accept from the one listening socket and serve what they accept,
 *                each with its own TLS listener and authentication door; reloads reach every loop
 *
 * The guide to this phase: [Phase 4 — the advanced server](../../docs/phase4.md).
 * @module
 */
import type { Logger } from 'pino';
import { startPhase3, type Phase3Additions, type Phase3Server } from '../phase3/server.ts';
import type { Phase4Options } from './config/phase4-config.ts';
import { persistencePart } from './persistence/persistence-part.ts';
import { memoryPart } from './slab/memory-part.ts';
import { edgePart, type EdgePart } from './edge/edge-part.ts';
import { createAuthPart } from './auth/auth-part.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { TlsTermination } from './tls/tls-termination.ts';
import { threadsPart } from './threads/threads-part.ts';

/** memcached's version first: clients parse it. */
export const PHASE4_VERSION = '1.6.18-kvlab-phase4';

/** A running phase 4 server. */
export interface Phase4Server extends Phase3Server {
  /** The edge's limits and timeouts, and what SIGHUP changes on them. */
  readonly edge: EdgePart;
  /** Who may log in (`-Y`, `-S`), read again on SIGHUP; null when authentication is off. */
  readonly auth: Authenticator | null;
  /** TLS on the listener (`-Z`): certificate reload, the plaintext listener beside it. */
  readonly tls: TlsTermination;
  /** Reads the users files again (SIGHUP): on this thread and, with `--threads N`, in every loop. */
  reloadUsers(): void;
}

/** Phase 4's parts, as additions to phase 3's. */
function phase4Additions(options: Phase4Options, _log: Logger): Phase3Additions {
  // The slab store (slab/memory-part.ts) replaces phase 3's store, on the loop and in ring workers.
  const memory = memoryPart(options);
  return { version: PHASE4_VERSION, settings: memory.settings, phase2: { store: memory.store } };
}

/** Builds phase 4 and listens. Resolves once connections can be served. */
export async function startPhase4(options: Phase4Options, log: Logger): Promise<Phase4Server> {
  const additions = phase4Additions(options, log);
  // The edge guards every connection phase 2 makes, on the loop or with ring workers.
  const edge = edgePart(options, log);
  // Authentication (-Y, -S) is a door every connection passes before it reaches a session.
  const auth = createAuthPart(options, PHASE4_VERSION, log);
  // Persistence (--persist) layers the store and ends the server's stop with a snapshot.
  const persist = persistencePart(options, log);
  // TLS (-Z) terminates on the listener: sessions above it read plain bytes.
  const tls = TlsTermination.create(options, log);
  // --threads N: N event loops in threads accept and execute, sharing the slab store.
  // Each loop builds its own TLS listener and door from the same files, and its own edge guard.
  const threads = threadsPart(options.threads, { tls: tls.inLoops, auth: auth?.inLoops ?? null, edge: edge.inLoops });
  tls.reachLoops(() => threads.tell({ kind: 'tls-reload' }));
  const phase2 = { ...additions.phase2, guard: edge.guard, storeLayer: persist.storeLayer, frontDoor: auth?.frontDoor, tls: tls.facts, loops: threads.loops };
  const settings = [...(additions.settings ?? []), ...(auth?.settings ?? []), ...tls.settings()];
  const server = await startPhase3(options, log, { ...additions, settings, phase2, createServer: tls.createServer, metrics: persist.metrics }).catch(async (error: unknown) => {
    tls.close();
    await persist.abort();
    throw error;
  });
  await tls.listenBeside(server, options, log);
  const reloadUsers = () => {
    // A file that fails to load leaves the users as they were, here and in each loop.
    if (auth?.authenticator.reload() === null) threads.tell({ kind: 'auth-reload' });
  };
  return Object.assign(persist.attach(server), { edge, auth: auth?.authenticator ?? null, tls, reloadUsers });
}
