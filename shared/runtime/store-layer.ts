/**
 * A layer a later phase puts between the executors and the store (phase 4's persistence): the
 * store requests use, what a turn's replies wait for, and the `stats` lines the layer adds.
 * @module
 */
import type { Stat, ServerInfo } from '../protocol/server-info.ts';
import type { Store } from '../store/store.ts';
import type { CommitGate } from './commit-gate.ts';

/** What the layer gives the server. */
export interface StoreLayer {
  /** The store requests on this thread use: the layer over the one it was given. */
  readonly store: Store;
  /** Holds a turn's replies until the turn's writes are committed; none, and nothing waits. */
  readonly commit?: CommitGate;
  /** More `stats` lines (after memcached's own). */
  readonly stats?: () => Stat[];
}

/** Builds the layer over the server's store (it may read files first: it is async). */
export type StoreLayerFactory = (store: Store) => Promise<StoreLayer>;

/** `info` with the layer's `stats` lines added. */
export function withLayerStats(info: ServerInfo, layer: StoreLayer | undefined): ServerInfo {
  const more = layer?.stats;
  if (more === undefined) return info;
  return { ...info, stats: () => [...info.stats(), ...more()] };
}
