/**
 * The counters of a connection guard (phase 4's edge), in a SharedArrayBuffer of their own so a
 * ring worker answering `stats` reads what the loop thread counted. The loop thread, which owns
 * the sockets, is the one writer, so plain f64 stores suffice (exact to 2^53); `stats reset`, which
 * may run in any thread, does not write the counts: it records them, as the byte counts do.
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

const SLOT: Readonly<Record<GuardStat, number>> = Object.fromEntries(GUARD_STATS.map((name, slot) => [name, slot])) as Record<GuardStat, number>;
/** Each counter's value when `stats reset` last ran follows the counters themselves. */
const AT_RESET = GUARD_STATS.length;
const BYTES = GUARD_STATS.length * 2 * Float64Array.BYTES_PER_ELEMENT;

/** A guard's counters, over a buffer that every thread may attach. */
export class GuardCounters {
  readonly buffer: SharedArrayBuffer;
  private readonly values: Float64Array;

  /** Creates new counters, or attaches to `buffer` created by another thread. */
  constructor(buffer = new SharedArrayBuffer(BYTES)) {
    if (buffer.byteLength !== BYTES) throw new TypeError(`GuardCounters: the buffer must hold ${BYTES} bytes`);
    this.buffer = buffer;
    this.values = new Float64Array(buffer);
  }

  /** Adds `by` to a counter; call it on the thread that owns the sockets. */
  add(name: GuardStat, by = 1): void {
    this.values[SLOT[name]]! += by;
  }

  /** A counter's value since the last reset. */
  get(name: GuardStat): number {
    return this.values[SLOT[name]]! - this.values[AT_RESET + SLOT[name]]!;
  }

  /** `stats reset`: from now on each counter counts from 0. */
  reset(): void {
    for (let slot = 0; slot < AT_RESET; slot++) this.values[AT_RESET + slot] = this.values[slot]!;
  }

  /** The counters as `stats` lines. */
  stats(): Stat[] {
    return GUARD_STATS.map((name) => [name, this.get(name)]);
  }
}
