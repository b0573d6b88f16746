/**
 * Phase 4's options for authentication: memcached's ASCII auth file (`-Y`) and binary SASL PLAIN
 * (`-S`) — the long options, memcached's one-letter flags that set them, and the rules between
 * them. memcached's SASL reads its users from Cyrus SASL's database; this server reads them from a
 * file in the `-Y` format (`user:password` lines; the format of memcached's own MEMCACHED_SASL_PWDB),
 * which is `--sasl-file`, or the `-Y` file when there is none. The files' paths need a restart;
 * their contents are read again on SIGHUP, as memcached reads its auth file again on SIGHUP.
 * @module
 */
import type { CrossCheck } from '../../phase3/config/config-spec.ts';
import type { ShortFlagTable } from '../../phase3/config/memcached-flags.ts';
import { boolean, integer, optionalPath } from '../../phase3/config/option-kinds.ts';
import type { OptionTable } from '../../phase3/config/phase3-options.ts';
import type { ExtendedOptionTable } from './extended-options.ts';
import { DEFAULT_FAILURE_DELAYS } from '../auth/failure-delays.ts';

/**
 * 30 s: a client library logs in as soon as it connects, in milliseconds; a socket that has not
 * logged in after 30 s holds a descriptor for nothing (or dribbles bytes to keep it).
 */
const DEFAULT_LOGIN_TIMEOUT_S = 30;

/** The long options (flags, file keys, KVLAB_* variables). */
export const AUTH_OPTIONS = {
  'auth-file': optionalPath({
    default: null,
    description: 'text clients must log in with a user:password of this file (memcached\'s -Y); read again on SIGHUP',
  }),
  sasl: boolean({
    default: false,
    description: 'binary clients must log in with SASL PLAIN (memcached\'s -S), against --sasl-file or --auth-file',
  }),
  'sasl-file': optionalPath({
    default: null,
    description: 'the user:password file SASL checks against, when not --auth-file; read again on SIGHUP',
  }),
  'auth-timeout': integer(0, 3600, {
    default: DEFAULT_LOGIN_TIMEOUT_S,
    description: 'seconds a client has to log in before it is disconnected (0: no limit)',
  }),
  'auth-delay-ms': integer(0, 60_000, {
    default: DEFAULT_FAILURE_DELAYS.baseMs,
    description: 'after an address\'s second failed login, its answers wait this long, doubling per failure (0: never; behind a proxy every client shares one address)',
  }),
  'auth-delay-max-ms': integer(0, 600_000, {
    default: DEFAULT_FAILURE_DELAYS.maxMs,
    description: 'the longest a failed login\'s answer waits',
  }),
} as const satisfies OptionTable;

/** memcached's one-letter flags that set them (they replace phase 3's refusals). */
export const AUTH_FLAGS: ShortFlagTable = {
  S: { takes: 'none', about: '--sasl', apply: () => ({ set: 'sasl', value: true }) },
  Y: { takes: 'value', about: '--auth-file', apply: (value) => ({ set: 'auth-file', value }) },
};

/** memcached's `-o` keys that set them: memcached has none for authentication. */
export const AUTH_EXTENDED: ExtendedOptionTable = {};

/** Rules between the authentication options (phase 4 adds them to its checks). */
export const AUTH_CHECKS: readonly CrossCheck<typeof AUTH_OPTIONS>[] = [
  {
    option: 'sasl',
    // memcached starts with -S and no SASL database, then refuses everyone; this says so at start.
    problem: (values) => values.sasl && values['sasl-file'] === null && values['auth-file'] === null
      ? 'on only with a users file: --sasl-file, or --auth-file (-Y)'
      : undefined,
  },
  {
    option: 'auth-delay-max-ms',
    problem: (values) => values['auth-delay-max-ms'] < values['auth-delay-ms'] ? 'at least --auth-delay-ms' : undefined,
  },
  {
    option: 'sasl-file',
    problem: (values) => values['sasl-file'] !== null && !values.sasl ? 'unset unless --sasl (-S) is on' : undefined,
  },
];
