/**
 * Connection, traffic and command counters that live in a SharedArrayBuffer, so a worker thread
 * answering `stats` reads the same numbers the accepting thread writes. The buffer also holds the
 * `stats detail` prefix table (prefix-table.ts), so handing a worker this one buffer shares both.
 *
 * Writers: everything uses Atomics. Events are counted in whichever thread executes the command,
 * bytes in whichever thread owns the socket (phase 4's `--threads N` has N of them), and a reader
 * on another thread must never see a torn or stale-forever value, nor two writers lose an add.
 * @module
 */
import type { CommandCounter } from '../protocol/server-info.ts';
import { PREFIX_TABLE_BYTES, PrefixTable } from './prefix-table.ts';

/** Int32 slots. */
const CURR_CONNECTIONS = 0;
const TOTAL_CONNECTIONS = 1;
const REJECTED_CONNECTIONS = 2;
/** 0 while the listener accepts (memcached's accepting_conns starts true), 1 once it has stopped. */
const NOT_ACCEPTING = 3;

/**
 * Event counters, 64 bits each as two Int32 words (low, high), so they count past 2^32 without
 * BigInt allocation: Atomics.add on the low word returns the old value, and an old value of −1
 * (0xffffffff) means this add carried into the high word.
 */
export const EVENT = {
  conn_yields: 0,
  cmd_meta: 1,
  store_too_large: 2,
  store_no_memory: 3,
  auth_cmds: 4,
  auth_errors: 5,
  idle_kicks: 6,
} as const;
/** The name of one event counter. */
export type EventName = keyof typeof EVENT;
const EVENT_COUNT = Object.keys(EVENT).length;
/** The event words start after the four connection slots. */
const EVENTS_START = 4;
/** Bytes read and written, 64 bits each as two words like the events (one add per read or write). */
const BYTES_READ = EVENTS_START + EVENT_COUNT * 2;
const BYTES_WRITTEN = BYTES_READ + 2;
const INT_SLOTS = BYTES_WRITTEN + 2;
/** Float64 slots, after the Int32 block (rounded up to 8 bytes, so they stay aligned). */
/** What `stats reset` subtracts: the byte counts when it ran. */
const BYTES_READ_AT_RESET = 0;
const BYTES_WRITTEN_AT_RESET = 1;
const FLOAT_SLOTS = 2;
const INT_BYTES = Math.ceil((INT_SLOTS * 4) / 8) * 8;
const PREFIX_TABLE_START = INT_BYTES + FLOAT_SLOTS * 8;
const TOTAL_BYTES = PREFIX_TABLE_START + PREFIX_TABLE_BYTES;

/** Counters shared between the connection thread and executor threads. */
export class ServerCounters {
  readonly buffer: SharedArrayBuffer;
  /** `stats detail`'s table, in the same buffer. */
  readonly prefixes: PrefixTable;
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;

  /** Creates new counters, or attaches to `buffer` created by another thread. */
  constructor(buffer = new SharedArrayBuffer(TOTAL_BYTES), prefixDelimiter = ':') {
    if (buffer.byteLength !== TOTAL_BYTES) throw new TypeError(`ServerCounters: the buffer must hold ${TOTAL_BYTES} bytes`);
    this.buffer = buffer;
    this.ints = new Int32Array(buffer, 0, INT_SLOTS);
    this.floats = new Float64Array(buffer, INT_BYTES, FLOAT_SLOTS);
    this.prefixes = new PrefixTable(buffer, PREFIX_TABLE_START, prefixDelimiter);
  }

  /** Counts an accepted connection (`curr_connections`, `total_connections`). */
  connectionOpened(): void {
    Atomics.add(this.ints, CURR_CONNECTIONS, 1);
    Atomics.add(this.ints, TOTAL_CONNECTIONS, 1);
  }

  /**
   * Takes a place in `curr_connections` if fewer than `limit` are open (memcached's `-c`); false,
   * counting nothing, when all are taken. One atomic step on the shared count: loops on several
   * threads that accept at the same moment cannot together go past the limit, as a read of the
   * count followed by an add could. {@link ServerCounters.connectionAdmitted} or
   * {@link ServerCounters.connectionClosed} follows.
   */
  reserveConnection(limit: number): boolean {
    for (;;) {
      const open = Atomics.load(this.ints, CURR_CONNECTIONS);
      if (open >= limit) return false;
      if (Atomics.compareExchange(this.ints, CURR_CONNECTIONS, open, open + 1) === open) return true;
    }
  }

  /** A reserved connection is served (`total_connections`). */
  connectionAdmitted(): void {
    Atomics.add(this.ints, TOTAL_CONNECTIONS, 1);
  }

  /** Counts a connection that ended, or a reserved place given back (`curr_connections`). */
  connectionClosed(): void {
    Atomics.sub(this.ints, CURR_CONNECTIONS, 1);
  }

  /** Counts a connection refused over the limit (`rejected_connections`). */
  connectionRejected(): void {
    Atomics.add(this.ints, REJECTED_CONNECTIONS, 1);
  }

  /**
   * Counts a connection that gave up its turn with requests still buffered (`conn_yields`,
   * memcached's `-R` fairness): call it where the connection schedules its next turn.
   */
  connectionYielded(): void {
    this.count('conn_yields');
  }

  /** Counts a connection closed for being idle too long (`idle_kicks`). */
  idleKicked(): void {
    this.count('idle_kicks');
  }

  /** The listener stopped (false) or resumed (true) accepting connections (`accepting_conns`). */
  setAccepting(accepting: boolean): void {
    Atomics.store(this.ints, NOT_ACCEPTING, accepting ? 0 : 1);
  }

  /** Adds one to an event counter; safe from any thread. */
  count(name: EventName | CommandCounter): void {
    const low = EVENTS_START + EVENT[name] * 2;
    if (Atomics.add(this.ints, low, 1) === -1) Atomics.add(this.ints, low + 1, 1);
  }

  /** An event counter's value. */
  event(name: EventName): number {
    return this.wide(EVENTS_START + EVENT[name] * 2);
  }

  /** Adds bytes read from clients (`bytes_read`); `bytes` below 2^31, as one read's are. */
  read(bytes: number): void {
    this.addWide(BYTES_READ, bytes);
  }

  /** Adds bytes written to clients (`bytes_written`); `bytes` below 2^31, as one write's are. */
  written(bytes: number): void {
    this.addWide(BYTES_WRITTEN, bytes);
  }

  /** Adds `amount` to the 64-bit counter at `low`: the low word's old value says whether it carried. */
  private addWide(low: number, amount: number): void {
    if ((Atomics.add(this.ints, low, amount) >>> 0) + amount >= 2 ** 32) Atomics.add(this.ints, low + 1, 1);
  }

  /** The 64-bit counter at `low`. */
  private wide(low: number): number {
    // Read high, low, high: a carry between the two reads shows as a changed high word; read again.
    for (;;) {
      const high = Atomics.load(this.ints, low + 1);
      const value = (Atomics.load(this.ints, low) >>> 0) + (high >>> 0) * 2 ** 32;
      if (Atomics.load(this.ints, low + 1) === high) return value;
    }
  }

  /**
   * `stats reset`, as memcached does it: total and rejected connections, bytes and every event
   * counter start again from 0, and the prefix table is emptied; curr_connections and
   * accepting_conns describe the present and stay.
   */
  reset(): void {
    Atomics.store(this.ints, TOTAL_CONNECTIONS, 0);
    Atomics.store(this.ints, REJECTED_CONNECTIONS, 0);
    for (let word = EVENTS_START; word < BYTES_READ; word++) Atomics.store(this.ints, word, 0);
    this.floats[BYTES_READ_AT_RESET] = this.wide(BYTES_READ);
    this.floats[BYTES_WRITTEN_AT_RESET] = this.wide(BYTES_WRITTEN);
    this.prefixes.clear();
  }

  get currConnections(): number {
    return Atomics.load(this.ints, CURR_CONNECTIONS);
  }

  get totalConnections(): number {
    return Atomics.load(this.ints, TOTAL_CONNECTIONS);
  }

  get rejectedConnections(): number {
    return Atomics.load(this.ints, REJECTED_CONNECTIONS);
  }

  get accepting(): boolean {
    return Atomics.load(this.ints, NOT_ACCEPTING) === 0;
  }

  get bytesRead(): number {
    return this.wide(BYTES_READ) - this.floats[BYTES_READ_AT_RESET]!;
  }

  get bytesWritten(): number {
    return this.wide(BYTES_WRITTEN) - this.floats[BYTES_WRITTEN_AT_RESET]!;
  }
}
