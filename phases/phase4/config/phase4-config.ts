/**
 * Phase 4's configuration: phase 3's options and checks, plus each part's own — the slab store's
 * memory, the edge's limits, TLS, authentication, persistence and the loop threads — each kept in its own file
 * beside this one. memcached's one-letter flags that phase 3 refuses become meaningful here
 * (`-f`, `-n`, `-M`, `-Z`, `-Y`…; `-t` sets `--threads` here), and `-o` takes memcached's extended options.
 * @module
 */
import { PHASE3_CONFIG, type ConfigSpec, type CrossCheck } from '../../phase3/config/config-spec.ts';
import { MEMCACHED_FLAGS } from '../../phase3/config/memcached-flags.ts';
import { PHASE3_OPTIONS, type ConfigValues, type OptionTable } from '../../phase3/config/phase3-options.ts';
import { AUTH_CHECKS, AUTH_EXTENDED, AUTH_FLAGS, AUTH_OPTIONS } from './auth-options.ts';
import { EDGE_CHECKS, EDGE_EXTENDED, EDGE_FLAGS, EDGE_OPTIONS } from './edge-options.ts';
import { alreadySo, extendedOptionsFlag } from './extended-options.ts';
import { MEMORY_CHECKS, MEMORY_EXTENDED, MEMORY_FLAGS, MEMORY_OPTIONS } from './memory-options.ts';
import { PERSISTENCE_CHECKS, PERSISTENCE_EXTENDED, PERSISTENCE_FLAGS, PERSISTENCE_OPTIONS } from './persistence-options.ts';
import { TLS_CHECKS, TLS_EXTENDED, TLS_FLAGS, TLS_OPTIONS } from './tls-options.ts';
import { THREADS_CHECKS, THREADS_FLAGS, THREADS_OPTIONS } from './threads-options.ts';

/** Every option of phase 4. */
export const PHASE4_OPTIONS = {
  ...PHASE3_OPTIONS, ...MEMORY_OPTIONS, ...EDGE_OPTIONS, ...TLS_OPTIONS, ...AUTH_OPTIONS, ...PERSISTENCE_OPTIONS, ...THREADS_OPTIONS,
} as const satisfies OptionTable;

/** Phase 4's validated options. */
export type Phase4Options = ConfigValues<typeof PHASE4_OPTIONS>;

/** Rules between phase 4's options, beyond phase 3's. */
const PHASE4_CHECKS: readonly CrossCheck<typeof PHASE4_OPTIONS>[] = [
  ...MEMORY_CHECKS,
  ...PERSISTENCE_CHECKS,
  ...AUTH_CHECKS,
  ...TLS_CHECKS,
  ...EDGE_CHECKS,
  ...THREADS_CHECKS,
];

/** Phase 4's configuration. */
export const PHASE4_CONFIG: ConfigSpec<typeof PHASE4_OPTIONS> = {
  options: PHASE4_OPTIONS,
  shortFlags: {
    ...MEMCACHED_FLAGS, ...MEMORY_FLAGS, ...EDGE_FLAGS, ...TLS_FLAGS, ...AUTH_FLAGS, ...PERSISTENCE_FLAGS, ...THREADS_FLAGS,
    // `modern` turns on memcached 1.5's defaults, which are what this server does anyway.
    o: extendedOptionsFlag({ modern: alreadySo, ...MEMORY_EXTENDED, ...EDGE_EXTENDED, ...TLS_EXTENDED, ...AUTH_EXTENDED, ...PERSISTENCE_EXTENDED }),
  },
  checks: [...PHASE3_CONFIG.checks, ...PHASE4_CHECKS],
};
