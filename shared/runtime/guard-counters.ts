/**
 * The counters of a connection guard (phase 4's edge), in a SharedArrayBuffer of their own so a
 * ring worker answering `stats` reads what the loop thread counted. Any thread may count: the
 * loop threads of `--threads N` each guard their own sockets, and refusals are counted where the
 * session runs — a loop or a ring worker. So each counter is 64 bits in two Int32 words bumped with
 * Atomics, as ServerCounters' event counters are.
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

/** Each counter's two Int32 words (low, high) start here. */
const SLOT: Readonly<Record<GuardStat, number>> = { rate_limit_delays: 0, rate_limit_rejects: 2, partial_request_kicks: 4, rejected_address_connections: 6 };
const BYTES = GUARD_STATS.length * 2 * Int32Array.BYTES_PER_ELEMENT;

/** A guard's counters, over a buffer that every thread may attach. */
export class GuardCounters {
  readonly buffer: SharedArrayBuffer;
  private readonly words: Int32Array;

  /** Creates new counters, or attaches to `buffer` created by another thread. */
  constructor(buffer = new SharedArrayBuffer(BYTES)) {
    if (buffer.byteLength !== BYTES) throw new TypeError(`GuardCounters: the buffer must hold ${BYTES} bytes`);
    this.buffer = buffer;
    this.words = new Int32Array(buffer);
  }

  /** Adds `by` (under 2^31) to a counter; safe from any thread. */
  add(name: GuardStat, by = 1): void {
    const low = SLOT[name];
    // The old low word, unsigned, plus `by` past 2^32 means this add carried into the high word.
    if ((Atomics.add(this.words, low, by) >>> 0) + by > 0xffffffff) Atomics.add(this.words, low + 1, 1);
  }

  /** Counts a request refused for its client's rate; safe from any thread. */
  refused(): void {
    this.add('rate_limit_rejects');
  }

  /** A counter's value since the last reset. */
  get(name: GuardStat): number {
    const low = SLOT[name];
    // Read high, low, high: a carry between the two reads shows as a changed high word; read again.
    for (;;) {
      const high = Atomics.load(this.words, low + 1);
      const value = (Atomics.load(this.words, low) >>> 0) + (high >>> 0) * 2 ** 32;
      if (Atomics.load(this.words, low + 1) === high) return value;
    }
  }

  /** `stats reset`: every counter starts again from 0 (an add racing the reset may be lost, as in memcached). */
  reset(): void {
    for (let word = 0; word < this.words.length; word++) Atomics.store(this.words, word, 0);
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
