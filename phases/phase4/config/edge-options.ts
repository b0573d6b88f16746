/**
 * Phase 4's options for the edge's limits: per-client rate limits, per-address connection limits and timeouts: the long options, memcached's one-letter flags and its `-o` keys
 * that set them. The rate limit (rate, burst, mode) changes on SIGHUP; the limits on connections
 * and the deadlines hold for the server's life.
 * @module
 */
import type { CrossCheck } from '../../phase3/config/config-spec.ts';
import type { ShortFlagTable } from '../../phase3/config/memcached-flags.ts';
import type { OptionTable } from '../../phase3/config/phase3-options.ts';
import { integer, oneOf } from '../../phase3/config/option-kinds.ts';
import { setsOption, type ExtendedOptionTable } from './extended-options.ts';

/** The long options (flags, file keys, KVLAB_* variables). */
export const EDGE_OPTIONS = {
  'rate-limit': integer(0, 10_000_000, {
    default: 0, live: true,
    description: 'requests a second each client (source address) may make; 0 = no rate limit (set at start to change it on SIGHUP)',
  }),
  'rate-burst': integer(0, 10_000_000, {
    default: 0, live: true,
    description: 'requests a client may make at once after a quiet spell (its bucket\'s size); 0 = one second\'s worth',
  }),
  'rate-limit-mode': oneOf(['delay', 'reject'], {
    default: 'delay', live: true,
    description: 'a client over its rate: delay = read it no more until its bucket refills; reject = answer SERVER_ERROR slow down',
  }),
  'max-connections-per-address': integer(0, 1_000_000, {
    default: 0,
    description: 'connections one source address may hold open; 0 = only the total limit',
  }),
  'idle-timeout': integer(0, 2_592_000, {
    default: 0,
    description: 'seconds a connection may send nothing before it is closed (memcached\'s -o idle_timeout, counted in idle_kicks); 0 = never',
  }),
  'partial-request-timeout': integer(0, 86_400, {
    default: 0,
    description: 'seconds a connection may hold part of a request before it is closed (slowloris; partial_request_kicks); 0 = never',
  }),
} as const satisfies OptionTable;

/** memcached's one-letter flags that set them (they replace phase 3's refusals): none. */
export const EDGE_FLAGS: ShortFlagTable = {};

/** memcached's `-o` keys that set them. */
export const EDGE_EXTENDED: ExtendedOptionTable = {
  idle_timeout: setsOption('idle-timeout'),
};

/** Rules between the edge's options (phase 4 adds them to its checks). */
export const EDGE_CHECKS: readonly CrossCheck<typeof EDGE_OPTIONS>[] = [
  {
    option: 'rate-burst',
    // A bucket size with no rate would limit nothing: say so rather than start without a limit.
    problem: (values) => values['rate-burst'] > 0 && values['rate-limit'] === 0 ? 'set only with --rate-limit' : undefined,
  },
];
