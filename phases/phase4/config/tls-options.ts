/**
 * Phase 4's options for TLS on the listener, with memcached's option names: the long options, memcached's one-letter flags and its `-o` keys
 * that set them. memcached turns TLS on with `-Z` and takes everything else as `-o ssl_*` keys;
 * here each key sets one long option, so a unit file written for memcached starts this server
 * with the same meaning. The certificate files' paths need a restart; their contents are read
 * again by `refresh_certs` and by SIGHUP, as memcached reads them again on `refresh_certs`.
 * @module
 */
import type { CrossCheck } from '../../phase3/config/config-spec.ts';
import type { ShortFlagTable } from '../../phase3/config/memcached-flags.ts';
import { boolean, integer, oneOf, optionalPath, optionalPort } from '../../phase3/config/option-kinds.ts';
import type { OptionTable, PHASE3_OPTIONS } from '../../phase3/config/phase3-options.ts';
import { setsOption, type ExtendedOption, type ExtendedOptionTable } from './extended-options.ts';

/** The protocol versions `ssl_min_version` names, lowest first: memcached's 0 … 3. */
export const TLS_VERSIONS = ['tlsv1.0', 'tlsv1.1', 'tlsv1.2', 'tlsv1.3'] as const;

/** One of {@link TLS_VERSIONS}. */
export type TlsVersionName = (typeof TLS_VERSIONS)[number];

/**
 * memcached's `ssl_verify_mode`: 0 none (no client certificate asked for), 1 request (asked for;
 * one that is sent must verify), 2 require (a client without a valid one is refused), 3 once
 * (require, and not asked again on renegotiation, which is refused here anyway).
 */
export const VERIFY_MODES = { none: 0, request: 1, require: 2, once: 3 } as const;

/**
 * 10 s: a client on a loopback or LAN finishes a handshake in milliseconds, and one across the
 * world in well under a second; a socket that has said nothing for 10 s is not going to, and
 * until then it holds a file descriptor.
 */
const DEFAULT_HANDSHAKE_TIMEOUT_S = 10;

/** The long options (flags, file keys, KVLAB_* variables). */
export const TLS_OPTIONS = {
  tls: boolean({ default: false, description: 'serve TLS on the listener (memcached\'s -Z); needs --tls-chain-cert' }),
  'tls-chain-cert': optionalPath({ default: null, description: 'the server\'s certificate chain, PEM (ssl_chain_cert)' }),
  'tls-key': optionalPath({ default: null, description: 'the private key, PEM, when not in the chain file (ssl_key)' }),
  'tls-ca-cert': optionalPath({ default: null, description: 'the CA certificates client certificates are verified against, PEM (ssl_ca_cert)' }),
  'tls-verify-mode': integer(0, 3, {
    default: VERIFY_MODES.none,
    description: 'client certificates: 0 none, 1 request, 2 require, 3 once (ssl_verify_mode)',
  }),
  'tls-min-version': oneOf(TLS_VERSIONS, { default: 'tlsv1.2', description: 'the lowest TLS version accepted (ssl_min_version)' }),
  'tls-session-cache': boolean({ default: false, description: 'let clients resume TLS sessions, counted as ssl_new_sessions (ssl_session_cache)' }),
  'tls-handshake-timeout': integer(1, 3600, {
    default: DEFAULT_HANDSHAKE_TIMEOUT_S,
    description: 'seconds a client has to finish its TLS handshake before it is disconnected',
  }),
  'plain-port': optionalPort({
    default: null,
    description: 'also serve plaintext on this port beside the TLS listener (memcached\'s -l notls:<ip>:<port>)',
  }),
} as const satisfies OptionTable;

/** memcached's one-letter flags that set them (they replace phase 3's refusals). */
export const TLS_FLAGS: ShortFlagTable = {
  Z: { takes: 'none', about: '--tls', apply: () => ({ set: 'tls', value: true }) },
};

/** `ssl_min_version=N`: memcached's 0 … 3, or the version's name. */
const minVersion: ExtendedOption = (value) => {
  if (value === undefined) return { refuse: 'needs a value, as in ssl_min_version=2 (0 tlsv1.0 … 3 tlsv1.3)' };
  const index = /^\s*[0-3]\s*$/.test(value) ? Number(value) : -1;
  return { set: 'tls-min-version', value: index === -1 ? value : TLS_VERSIONS[index] };
};

/** A bare key turns its switch on (`-o ssl_session_cache`), as in memcached. */
function switchesOn(option: string): ExtendedOption {
  return (value) => ({ set: option, value: value ?? true });
}

/** memcached's `-o` keys that set them. */
export const TLS_EXTENDED: ExtendedOptionTable = {
  ssl_chain_cert: setsOption('tls-chain-cert'),
  ssl_key: setsOption('tls-key'),
  ssl_ca_cert: setsOption('tls-ca-cert'),
  ssl_verify_mode: setsOption('tls-verify-mode'),
  ssl_min_version: minVersion,
  ssl_session_cache: switchesOn('tls-session-cache'),
};

/** Rules between the TLS options and the listener's (phase 4 adds them to its checks). */
export const TLS_CHECKS: readonly CrossCheck<typeof PHASE3_OPTIONS & typeof TLS_OPTIONS>[] = [
  {
    option: 'tls-chain-cert',
    // memcached exits at start with no chain certificate; so does this server, before listening.
    problem: (values) => values.tls && values['tls-chain-cert'] === null ? 'a certificate chain file when --tls (-Z) is on' : undefined,
  },
  {
    option: 'plain-port',
    problem: (values) => {
      if (values['plain-port'] === null) return undefined;
      if (!values.tls) return 'off unless --tls (-Z) is on: without TLS the main port is plaintext already';
      if (values['unix-socket'] !== null) return 'off with --unix-socket (a unix socket is served without TLS)';
      return values['plain-port'] !== 0 && values['plain-port'] === values.port ? 'a port other than --port' : undefined;
    },
  },
  {
    option: 'tls',
    problem: (values) => values.tls && values['unix-socket'] !== null ? 'off with --unix-socket: TLS is served on TCP, as in memcached' : undefined,
  },
];
