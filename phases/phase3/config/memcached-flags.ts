/**
 * memcached's own one-letter flags (1.6.18's `memcached -h`), so that an operator can put KV Lab
 * into a unit file written for memcached. A flag whose meaning matches sets the same option; one
 * that would change nothing here is accepted with a warning; one whose effect cannot be honoured
 * is refused with the reason, so the server never starts believing it does something it does not.
 * @module
 */

/** What one occurrence of a flag does. */
export type FlagOutcome =
  | { readonly set: string; readonly value: unknown }
  | { readonly refuse: string }
  | { readonly warn: string }
  | { readonly help: true }
  /** Accepted: what it asks for is already the case here. */
  | { readonly accept: true }
  /** Several outcomes from one occurrence (memcached's `-o a=1,b=2`). */
  | { readonly each: readonly FlagOutcome[] };

/** Facts about the process that a flag's meaning depends on. */
export interface FlagContext {
  readonly isRoot: boolean;
  /** How many times `-v` has been seen so far, this one included. */
  readonly verbosity: number;
}

/** One memcached flag. */
export interface ShortFlag {
  /** Whether it takes a value (`-p 11211`, `-p11211`) or stands alone (`-A`, `-vv`). */
  readonly takes: 'value' | 'none';
  /** For `--help` and the docs: the option it sets, or why it is refused or ignored. */
  readonly about: string;
  /** What this occurrence does; `value` is empty for a flag that takes none. */
  apply(value: string, context: FlagContext): FlagOutcome;
}

/** One-letter flags, by letter (case matters: `-m` and `-M` differ). */
export type ShortFlagTable = Readonly<Record<string, ShortFlag>>;

/** A flag that sets `option` to its value, unchanged. */
function sets(option: string): ShortFlag {
  return { takes: 'value', about: `--${option}`, apply: (value) => ({ set: option, value }) };
}

/** A flag refused with `reason`. */
function refused(takes: ShortFlag['takes'], reason: string): ShortFlag {
  return { takes, about: `refused: ${reason}`, apply: () => ({ refuse: reason }) };
}

/** memcached's `-t N` runs N threads that execute requests; see the mapping in {@link MEMCACHED_FLAGS}. */
function threads(value: string): FlagOutcome {
  const count = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (count === 0) return { refuse: 'memcached needs at least 1 thread; -t 1 executes requests on the event loop' };
  // Not a number: hand the text on, so that the error shows it against workers' range.
  if (Number.isNaN(count)) return { set: 'workers', value };
  return { set: 'workers', value: count === 1 ? 0 : count };
}

/**
 * The flags, memcached's meaning → KV Lab's.
 *
 * `-t N` is memcached's count of threads that execute requests. Here one event loop executes them
 * (`--workers 0`) or N ring workers do (`--workers N`), so `-t 1` → `--workers 0` and `-t N` →
 * `--workers N`: `stats settings`' `num_threads` then reports the N the operator asked for.
 * `-v` logs at info (what KV Lab logs anyway: memcached is silent without it) and `-vv` or more
 * at debug. `-M` (errors instead of evictions when memory is full) is what this store always
 * does. `-u USER` is honoured as memcached honours it when not started as root: by ignoring it.
 */
export const MEMCACHED_FLAGS: ShortFlagTable = {
  p: sets('port'),
  l: {
    takes: 'value',
    about: '--host (one address)',
    // A comma list asks memcached to listen on several addresses; serving only the first would
    // leave clients of the others refused with no word why.
    apply: (value) => value.includes(',')
      ? { refuse: `KV Lab listens on one address, got the list "${value}"; give one (0.0.0.0 or :: for all)` }
      : { set: 'host', value },
  },
  m: sets('memory-mb'),
  c: sets('max-connections'),
  t: { takes: 'value', about: '--workers (-t 1 → 0: execute on the event loop; -t N → N ring workers)', apply: threads },
  R: sets('requests-per-turn'),
  I: sets('max-item-size'),
  s: sets('unix-socket'),
  a: sets('unix-mask'),
  A: { takes: 'none', about: '--enable-shutdown', apply: () => ({ set: 'enable-shutdown', value: true }) },
  v: {
    takes: 'none',
    about: '--log-level (-v info, -vv debug)',
    apply: (_, context) => ({ set: 'log-level', value: context.verbosity >= 2 ? 'debug' : 'info' }),
  },
  U: {
    takes: 'value',
    about: 'UDP port: only 0 (off) is accepted',
    apply: (value) => /^\s*0+\s*$/.test(value)
      ? { accept: true }
      : { refuse: `UDP is not served (memcached itself turns it off by default since 1.5.6); use -U 0, got "${value}"` },
  },
  M: { takes: 'none', about: 'accepted: a full store already answers errors and never evicts', apply: () => ({ accept: true }) },
  u: {
    takes: 'value',
    about: 'ignored unless run as root (as memcached does), refused as root',
    apply: (value, context) => context.isRoot
      ? { refuse: `KV Lab does not switch to user "${value}"; start it as that user (systemd: User=${value})` }
      : { warn: `-u ${value} ignored: not running as root, so there is no user to switch from (as memcached does)` },
  },
  b: {
    takes: 'value',
    about: "ignored with a warning: the listen backlog stays Node's 511",
    apply: (value) => ({ warn: `-b ${value} ignored: the listen backlog stays Node's default of 511` }),
  },
  B: {
    takes: 'value',
    about: 'only auto: both protocols are served, chosen by each connection\'s first byte',
    apply: (value) => value === 'auto'
      ? { accept: true }
      : { refuse: `both protocols are always served, chosen by each connection's first byte (memcached's -B auto); got "${value}"` },
  },
  h: { takes: 'none', about: '--help', apply: () => ({ help: true }) },
  d: refused('none', 'KV Lab does not daemonize: run it under systemd (Type=simple) or another supervisor'),
  P: refused('value', 'no pid file: without -d the supervisor knows the pid (systemd: $MAINPID)'),
  r: refused('none', 'core dumps are the supervisor\'s to allow (systemd: LimitCORE=infinity; a shell: ulimit -c)'),
  k: refused('none', 'Node cannot lock its memory into RAM (mlockall)'),
  L: refused('none', 'large memory pages are not used by this store'),
  f: refused('value', 'slab growth factors belong to a slab allocator, which this store does not have'),
  n: refused('value', 'slab minimum sizes belong to a slab allocator, which this store does not have'),
  D: refused('value', 'the stats detail prefix delimiter is fixed at ":"'),
  C: refused('none', 'CAS cannot be turned off: every item carries one'),
  F: refused('none', 'flush_all cannot be turned off'),
  X: refused('none', 'turning the dump commands off is not supported'),
  W: refused('none', 'turning the watch command off is not supported'),
  S: refused('none', 'SASL authentication is not served by this phase'),
  Y: refused('value', 'authentication files are not served by this phase'),
  Z: refused('none', 'TLS is not served by this phase'),
  e: refused('value', 'the store lives in process memory, not in a memory file'),
  N: refused('value', 'NAPI ids are not used: one event loop serves every connection'),
  o: refused('value', 'memcached\'s extended options (-o) have no counterpart here; see --help for the options there are'),
  i: refused('none', 'KV Lab is MIT-licensed: see its package.json'),
  V: refused('none', 'the version is in the ready line and in `stats` (version)'),
};
