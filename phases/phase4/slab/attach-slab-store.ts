/**
 * The module a ring worker loads to open phase 4's store in its own thread (see `StoreModule` in
 * phases/phase2/ring-worker.ts): every thread works on the one SharedArrayBuffer.
 * @module
 */
import type { Store } from '../../../shared/store/store.ts';
import { SlabStore } from './slab-store.ts';

/** Attaches to the slab store whose memory is `buffer`. */
export function attachStore(buffer: SharedArrayBuffer): Store {
  return SlabStore.attach(buffer);
}
