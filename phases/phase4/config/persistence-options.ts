/**
 * Phase 4's options for persistence: the append-only log, its fsync policy and snapshots: the long options, memcached's one-letter flags and its `-o` keys
 * that set them.
 * @module
 */
import type { ShortFlagTable } from '../../phase3/config/memcached-flags.ts';
import type { OptionTable } from '../../phase3/config/phase3-options.ts';
import type { ExtendedOptionTable } from './extended-options.ts';

/** The long options (flags, file keys, KVLAB_* variables). */
export const PERSISTENCE_OPTIONS = {} as const satisfies OptionTable;

/** memcached's one-letter flags that set them (they replace phase 3's refusals). */
export const PERSISTENCE_FLAGS: ShortFlagTable = {};

/** memcached's `-o` keys that set them. */
export const PERSISTENCE_EXTENDED: ExtendedOptionTable = {};
