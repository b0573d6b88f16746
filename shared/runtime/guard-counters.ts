/**
 * The counters of a connection guard (phase 4's edge), in a SharedArrayBuffer of their own so a
 * ring worker answering `stats` reads what the loop thread counted. Most have one writer, the
 * loop thread that owns the sockets, so plain f64 stores suffice (exact to 2^53), and `stats
 * reset`, which may run in any thread, records them instead of writing them, as the byte counts
 * do. Refusals are counted where the session runs — the loop or any ring worker — so that count is
 * 64 bits in two Int32 words bumped with Atomics, as ServerCounters' event counters are.
 * @module
 */
import type { Stat } from '../protocol/server-info.ts';

/** The counters, under the names `stats` shows (memcached's style: `idle_kicks`, `rejected_connections`). */
export const GUARD_STATS = [
  /** Times a client was held (not read) until its rate-limit bucket refilled: delay mode. */
  'rate_limit_delays',
  /** Requests answered `SERVER_ERROR slow down` (binary: status 0x86): reject mode. */
  'rate_limit_rejects',
  /** Connections closed for holding part of a request past the partial-request deadline. */
  'partial_request_kicks',
  /** Connections turned away at the per-address limit (also counted in rejected_connections). */
  'rejected_address_connections',
] as const;
/** The name of one guard counter. */
export type GuardStat = (typeof GUARD_STATS)[number];
/** The counters only the loop thread writes. */
export type LoopStat = Exclude<GuardStat, 'rate_limit_rejects'>;

const LOOP_STATS: readonly LoopStat[] = ['rate_limit_delays', 'partial_request_kicks', 'rejected_address_connections'];
const SLOT: Readonly<Record<LoopStat, number>> = { rate_limit_delays: 0, partial_request_kicks: 1, rejected_address_connections: 2 };
/** Each f64 counter's value when `stats reset` last ran follows the counters themselves. */
const AT_RESET = LOOP_STATS.length;
const FLOAT_BYTES = LOOP_STATS.length * 2 * Float64Array.BYTES_PER_ELEMENT;
/** rate_limit_rejects: low and high Int32 words after the floats. */
const REJECTS_LOW = 0;
const BYTES = FLOAT_BYTES + 2 * Int32Array.BYTES_PER_ELEMENT;

/** A guard's counters, over a buffer that every thread may attach. */
export class GuardCounters {
  readonly buffer: SharedArrayBuffer;
  private readonly values: Float64Array;
  private readonly words: Int32Array;

  /** Creates new counters, or attaches to `buffer` created by another thread. */
  constructor(buffer = new SharedArrayBuffer(BYTES)) {
    if (buffer.byteLength !== BYTES) throw new TypeError(`GuardCounters: the buffer must hold ${BYTES} bytes`);
    this.buffer = buffer;
    this.values = new Float64Array(buffer, 0, LOOP_STATS.length * 2);
    this.words = new Int32Array(buffer, FLOAT_BYTES, 2);
  }

  /** Adds `by` to a counter; call it on the thread that owns the sockets. */
  add(name: LoopStat, by = 1): void {
    this.values[SLOT[name]]! += by;
  }

  /** Counts a request refused for its client's rate; safe from any thread. */
  refused(): void {
    // An old low word of −1 (0xffffffff) means this add carried into the high word.
    if (Atomics.add(this.words, REJECTS_LOW, 1) === -1) Atomics.add(this.words, REJECTS_LOW + 1, 1);
  }

  /** A counter's value since the last reset. */
  get(name: GuardStat): number {
    if (name !== 'rate_limit_rejects') return this.values[SLOT[name]]! - this.values[AT_RESET + SLOT[name]]!;
    // Read high, low, high: a carry between the two reads shows as a changed high word; read again.
    for (;;) {
      const high = Atomics.load(this.words, REJECTS_LOW + 1);
      const value = (Atomics.load(this.words, REJECTS_LOW) >>> 0) + (high >>> 0) * 2 ** 32;
      if (Atomics.load(this.words, REJECTS_LOW + 1) === high) return value;
    }
  }

  /** `stats reset`: from now on each counter counts from 0. */
  reset(): void {
    for (let slot = 0; slot < AT_RESET; slot++) this.values[AT_RESET + slot] = this.values[slot]!;
    Atomics.store(this.words, REJECTS_LOW, 0);
    Atomics.store(this.words, REJECTS_LOW + 1, 0);
  }

  /** The counters as `stats` lines. */
  stats(): Stat[] {
    return GUARD_STATS.map((name) => [name, this.get(name)]);
  }
}

/** What a session calls for each refused request, over the guard's buffer (none without a guard). */
export function refusalCounter(buffer: SharedArrayBuffer | undefined): (() => void) | undefined {
  if (buffer === undefined) return undefined;
  const counters = new GuardCounters(buffer);
  return () => counters.refused();
}
