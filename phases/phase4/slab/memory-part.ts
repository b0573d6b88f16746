/**
 * Phase 4's memory part: the slab store made from the options, handed to phase 2's assembly (which
 * gives its buffer to every ring worker, each attaching through attach-slab-store.ts), and the
 * `stats settings` lines memcached prints for it.
 * @module
 */
import type { StoreChoice } from '../../phase2/server.ts';
import type { Stat } from '../../../shared/protocol/server-info.ts';
import type { Phase4Options } from '../config/phase4-config.ts';
import { SlabStore } from './slab-store.ts';

const ATTACH_MODULE = new URL('./attach-slab-store.ts', import.meta.url).href;

/** The store and its settings. */
export interface MemoryPart {
  readonly store: StoreChoice;
  readonly settings: readonly Stat[];
}

/** Makes the slab store `options` describe. */
export function memoryPart(options: Phase4Options): MemoryPart {
  const store = SlabStore.create({
    memoryBytes: options['memory-mb'] * 1024 * 1024,
    maxItemSize: options['max-item-size'],
    growthFactor: options['growth-factor'],
    minChunk: options['min-chunk'],
    chunkMax: options['slab-chunk-max'],
    evictions: options.evictions,
    automove: options['slab-automove'] as 0 | 1 | 2,
  });
  return {
    store: { store, module: ATTACH_MODULE },
    // memcached's names and words; these replace the lines phase 3 prints for its store.
    settings: [
      ['evictions', options.evictions ? 'on' : 'off'],
      ['growth_factor', options['growth-factor'].toFixed(2)],
      ['chunk_size', options['min-chunk']],
      ['slab_reassign', 'yes'],
      ['slab_automove', options['slab-automove']],
      ['slab_automove_ratio', '0.80'],
      ['slab_chunk_max', options['slab-chunk-max']],
      ['lru_crawler', 'yes'],
      ['lru_segmented', 'no'],
    ],
  };
}
