/**
 * Phase 3's options, in one table: phase 2's (their ranges and defaults taken from phase 2's own
 * specs, so the two cannot drift), plus what operating a server needs — metrics, the slow-request
 * log, the shutdown deadline, memcached's `shutdown` command and a unix socket. Phase 4 spreads
 * this table into its own and adds its options.
 * @module
 */
import type { OptionSpec } from '../../../shared/runtime/cli.ts';
import { PHASE2_OPTIONS } from '../../phase2/options.ts';
import { boolean, host, integer, octalMode, oneOf, optionalPath, optionalPort, size, type AnyDefinition, type OptionDefinition } from './option-kinds.ts';

/** pino's levels that phases 1–2 accept, quietest last; `-v`/`-vv` pick from them. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/** An option table: option names (as flags, file keys and, upper-cased, variables spell them) to definitions. */
export type OptionTable = Readonly<Record<string, AnyDefinition>>;

/** The values a table's options take once validated. */
export type ConfigValues<T extends OptionTable> = { -readonly [K in keyof T]: T[K] extends OptionDefinition<infer V> ? V : never };

/** An integer or size spec of phases 1–2 as a definition with the same range, default and words. */
function numeric(spec: OptionSpec, live = false): OptionDefinition<number> {
  if ((spec.type !== 'integer' && spec.type !== 'size') || typeof spec.default !== 'number' || spec.min === undefined || spec.max === undefined) {
    throw new Error(`${spec.description}: expected a bounded integer or size spec`);
  }
  const common = { default: spec.default, description: spec.description, live };
  return spec.type === 'size' ? size(spec.min, spec.max, common) : integer(spec.min, spec.max, common);
}

const P2 = PHASE2_OPTIONS;

/** Every option of phase 3. */
export const PHASE3_OPTIONS = {
  host: host({ default: P2.host.default, description: P2.host.description }),
  port: numeric(P2.port),
  'memory-mb': numeric(P2['memory-mb']),
  'max-item-size': numeric(P2['max-item-size']),
  'max-connections': numeric(P2['max-connections']),
  'write-high-water': numeric(P2['write-high-water']),
  'log-level': oneOf(LOG_LEVELS, { default: P2['log-level'].default, description: P2['log-level'].description, live: true }),
  workers: numeric(P2.workers),
  'requests-per-turn': numeric(P2['requests-per-turn']),
  'metrics-host': host({ default: '127.0.0.1', description: 'address of the HTTP listener for /metrics, /healthz and /readyz' }),
  'metrics-port': optionalPort({ default: null, description: 'port of that HTTP listener (off = no listener)' }),
  // 10 ms is redis's default slowlog threshold; a memcached request normally takes microseconds,
  // so a request that slow is worth a line.
  'slow-ms': integer(0, 3_600_000, {
    default: 10, live: true,
    description: 'log a request that takes longer than this many milliseconds (0 = never)',
  }),
  // Seconds, like systemd's TimeoutStopSec: the unit's stop timeout must exceed this one.
  'shutdown-timeout': integer(0, 3600, {
    default: 10,
    description: 'seconds a shutdown waits for connections to finish before forcing them closed',
  }),
  'enable-shutdown': boolean({ default: false, description: "serve memcached's shutdown command (memcached's -A)" }),
  'unix-socket': optionalPath({
    default: null,
    description: "listen on this unix socket instead of TCP, as memcached's -s does (none by default)",
  }),
  // memcached's default: only the server's own user may connect.
  'unix-mask': octalMode({
    default: 0o700,
    description: "the unix socket's permissions, in octal (memcached's -a): 700 lets only this user connect, 770 its group too",
  }),
  config: optionalPath({ default: null, sources: ['default', 'env', 'flag'], description: 'read options from this TOML file' }),
  'print-config': boolean({
    default: false, sources: ['default', 'flag'],
    description: 'print every effective value and where it came from, then exit',
  }),
} as const satisfies OptionTable;

/** Phase 3's validated options: what phase 2's server takes, and phase 3's own. */
export type Phase3Options = ConfigValues<typeof PHASE3_OPTIONS>;
