/**
 * Phase 4's `--threads N`: N event loops in worker threads, each accepting from the one listening
 * socket and executing what it reads against the one slab store (memcached's architecture:
 * docs/phase4-threads.md). memcached's `-t N` is its worker-thread count, so here it sets
 * `--threads` (phase 3 keeps mapping it to `--workers`). TLS, authentication and a unix socket
 * are served by every loop; what a loop thread cannot yet carry is refused by name rather than
 * served half-working.
 * @module
 */
import type { CrossCheck } from '../../phase3/config/config-spec.ts';
import type { FlagOutcome, ShortFlagTable } from '../../phase3/config/memcached-flags.ts';
import type { ConfigValues, OptionTable, PHASE3_OPTIONS } from '../../phase3/config/phase3-options.ts';
import { integer } from '../../phase3/config/option-kinds.ts';
import type { EDGE_OPTIONS } from './edge-options.ts';
import type { PERSISTENCE_OPTIONS } from './persistence-options.ts';
import type { TLS_OPTIONS } from './tls-options.ts';

/** The long options (flags, file keys, KVLAB_* variables). */
export const THREADS_OPTIONS = {
  // 64: memcached warns above 64 threads too; past the core count more loops only add switching.
  threads: integer(1, 64, {
    default: 1,
    description: 'event loops, each in its own thread accepting from the one listening socket and sharing the slab store (memcached\'s -t); 1 = the main thread\'s loop alone',
  }),
} as const satisfies OptionTable;

/** memcached's `-t N`: N threads that each run an event loop and execute what they read, as here. */
function threadsFlag(value: string): FlagOutcome {
  if (/^\s*0+\s*$/.test(value)) return { refuse: 'memcached needs at least 1 thread; -t 1 is the main thread\'s loop alone' };
  return { set: 'threads', value };
}

/** memcached's one-letter flags that set them: `-t` (it replaces phase 3's mapping to --workers). */
export const THREADS_FLAGS: ShortFlagTable = {
  t: { takes: 'value', about: '--threads (memcached\'s worker threads: each runs an event loop)', apply: threadsFlag },
};

/** The options the threads check reads: `--threads` and every part it is refused with. */
export type ThreadsCheckedOptions = typeof THREADS_OPTIONS & Pick<typeof PHASE3_OPTIONS, 'workers'>
  & Pick<typeof PERSISTENCE_OPTIONS, 'persist'> & Pick<typeof TLS_OPTIONS, 'plain-port'>
  & Pick<typeof EDGE_OPTIONS, 'rate-limit' | 'max-connections-per-address'>;

/**
 * What a loop thread does not carry yet, each with its reason: the part is built on the main
 * thread's loop and would have to be built in every loop thread instead (docs/phase4-threads.md).
 */
const NOT_WITH_THREADS: readonly { readonly option: string; readonly set: (values: ConfigValues<ThreadsCheckedOptions>) => boolean; readonly why: string }[] = [
  { option: '--workers N', set: (v) => v.workers > 0, why: 'each loop thread executes what it reads itself; there are no ring workers to hand requests to' },
  { option: '--persist', set: (v) => v.persist !== null, why: 'writes would run in several threads, and the log must hold them in the order the store applied them' },
  { option: '--plain-port', set: (v) => v['plain-port'] !== null, why: 'the loops share the TLS listening socket; the plaintext listener beside it is served by the main thread\'s loop' },
  {
    option: 'the edge\'s per-client limits (--rate-limit, --max-connections-per-address)',
    set: (v) => v['rate-limit'] > 0 || v['max-connections-per-address'] > 0,
    // The timeouts are per connection: each loop's own guard keeps them.
    why: 'the edge keeps its per-address counts and buckets in one thread\'s memory',
  },
];

/** Rules between `--threads` and the other parts (phase 4 adds them to its checks). */
export const THREADS_CHECKS: readonly CrossCheck<ThreadsCheckedOptions>[] = [
  {
    option: 'threads',
    problem: (values) => {
      if (values.threads === 1) return undefined;
      const clash = NOT_WITH_THREADS.find((rule) => rule.set(values));
      return clash === undefined ? undefined : `1 with ${clash.option} (${clash.why})`;
    },
  },
];
