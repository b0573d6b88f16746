/**
 * Phase 4's options for the slab store: its size classes, eviction and page moving — the long
 * options, memcached's one-letter flags (`-f`, `-n`, `-M`) and its `-o` keys that set them. The
 * memory limit and item size limit are phase 3's (`-m`, `-I`); `cache_memlimit` changes the limit
 * live. docs/phase4-memory.md explains each.
 * @module
 */
import { z } from 'zod';
import type { CrossCheck } from '../../phase3/config/config-spec.ts';
import type { ShortFlagTable } from '../../phase3/config/memcached-flags.ts';
import type { OptionTable, PHASE3_OPTIONS } from '../../phase3/config/phase3-options.ts';
import { boolean, integer, size, type KindOptions, type OptionDefinition } from '../../phase3/config/option-kinds.ts';
import { alreadySo, type ExtendedOptionTable } from './extended-options.ts';

/** Decimal text (`1.25`, `2`), as flags and variables carry a growth factor. */
const DECIMAL_TEXT = /^\s*\d+(\.\d+)?\s*$/;

/** A number above `above` and at most `max`; memcached reads `-f` with atof. */
function decimal(above: number, max: number, options: KindOptions<number>): OptionDefinition<number> {
  const text = z.string().regex(DECIMAL_TEXT).transform(Number);
  return {
    ...options,
    schema: z.union([z.number(), text]).pipe(z.number().gt(above).lte(max)),
    allowed: `a number above ${above} and at most ${max}`,
    placeholder: '<x>',
    show: (value) => value,
  };
}

/** The long options (flags, file keys, KVLAB_* variables). */
export const MEMORY_OPTIONS = {
  'growth-factor': decimal(1, 100, {
    default: 1.25,
    description: 'each size class\'s chunk is the one before it times this (memcached\'s -f); smaller: less waste, more classes',
  }),
  'min-chunk': integer(1, 1_048_576, {
    default: 48,
    description: 'key + value bytes the smallest chunk holds beyond the item header (memcached\'s -n)',
  }),
  'slab-chunk-max': size(4096, 1_048_576, {
    default: 524_288,
    description: 'the largest chunk; a larger item is stored in chunks of this size (memcached\'s -o slab_chunk_max, in KiB there)',
  }),
  evictions: boolean({
    default: true,
    description: 'a full class evicts its least recently used item; false (memcached\'s -M) answers SERVER_ERROR out of memory storing object',
  }),
  'slab-automove': integer(0, 2, {
    default: 1,
    description: 'pages move between classes: 0 only to a class that has none, 1 also when a class\'s items die much younger than another\'s, 2 on every eviction (memcached\'s slab_automove)',
  }),
} as const satisfies OptionTable;

/** memcached's one-letter flags that set them (they replace phase 3's refusals). */
export const MEMORY_FLAGS: ShortFlagTable = {
  f: { takes: 'value', about: '--growth-factor', apply: (value) => ({ set: 'growth-factor', value }) },
  n: { takes: 'value', about: '--min-chunk', apply: (value) => ({ set: 'min-chunk', value }) },
  M: { takes: 'none', about: '--evictions false', apply: () => ({ set: 'evictions', value: false }) },
};

/** memcached's `-o` keys that set them. */
export const MEMORY_EXTENDED: ExtendedOptionTable = {
  // memcached reads this one in kilobytes.
  slab_chunk_max: (value) => value === undefined || !/^\s*\d+\s*$/.test(value)
    ? { refuse: 'needs a size in kilobytes, as in slab_chunk_max=512' }
    : { set: 'slab-chunk-max', value: Number(value) * 1024 },
  slab_automove: (value) => value === undefined ? { refuse: 'needs a mode, as in slab_automove=1' } : { set: 'slab-automove', value },
  // Pages move between classes whatever is asked: with `slabs reassign`, and by automove.
  slab_reassign: alreadySo,
  // `lru_crawler crawl` is always served; it runs inline rather than on a background thread.
  lru_crawler: alreadySo,
  no_lru_crawler: alreadySo,
  // One LRU per class, without memcached's segments (the guide measures why).
  no_lru_segmented: alreadySo,
  no_lru_maintainer: alreadySo,
};

/** Rules between the memory options and phase 3's limits, as memcached checks them at start. */
export const MEMORY_CHECKS: readonly CrossCheck<typeof PHASE3_OPTIONS & typeof MEMORY_OPTIONS>[] = [
  {
    option: 'slab-chunk-max',
    problem: (values) => values['slab-chunk-max'] > values['max-item-size'] ? 'at most --max-item-size (-I)' : undefined,
  },
  {
    option: 'min-chunk',
    // The smallest chunk must leave room below the largest for the classes between them.
    problem: (values) => values['min-chunk'] * 2 > values['slab-chunk-max'] ? 'at most half of --slab-chunk-max' : undefined,
  },
];
