/**
 * Connection and traffic counters that live in a SharedArrayBuffer, so a worker thread answering
 * `stats` reads the same numbers the accepting thread writes.
 *
 * One writer: only the thread that owns the sockets updates them, so plain stores suffice for the
 * byte counts (Float64, exact to 2^53 bytes). Connection counts use Atomics so a reader on another
 * thread never sees a torn or stale-forever value.
 * @module
 */

/** Int32 slots. */
const CURR_CONNECTIONS = 0;
const TOTAL_CONNECTIONS = 1;
const REJECTED_CONNECTIONS = 2;
const INT_SLOTS = 4;
/** Float64 slots, after the Int32 block (16 bytes, so they stay 8-byte aligned). */
const BYTES_READ = 0;
const BYTES_WRITTEN = 1;
const FLOAT_SLOTS = 2;

/** Counters shared between the connection thread and executor threads. */
export class ServerCounters {
  readonly buffer: SharedArrayBuffer;
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;

  /** Creates new counters, or attaches to `buffer` created by another thread. */
  constructor(buffer = new SharedArrayBuffer(INT_SLOTS * 4 + FLOAT_SLOTS * 8)) {
    this.buffer = buffer;
    this.ints = new Int32Array(buffer, 0, INT_SLOTS);
    this.floats = new Float64Array(buffer, INT_SLOTS * 4, FLOAT_SLOTS);
  }

  /** Counts an accepted connection (`curr_connections`, `total_connections`). */
  connectionOpened(): void {
    Atomics.add(this.ints, CURR_CONNECTIONS, 1);
    Atomics.add(this.ints, TOTAL_CONNECTIONS, 1);
  }

  /** Counts a connection that ended (`curr_connections`). */
  connectionClosed(): void {
    Atomics.sub(this.ints, CURR_CONNECTIONS, 1);
  }

  /** Counts a connection refused over the limit (`rejected_connections`). */
  connectionRejected(): void {
    Atomics.add(this.ints, REJECTED_CONNECTIONS, 1);
  }

  /** Adds bytes read from clients (`bytes_read`). */
  read(bytes: number): void {
    this.floats[BYTES_READ]! += bytes;
  }

  /** Adds bytes written to clients (`bytes_written`). */
  written(bytes: number): void {
    this.floats[BYTES_WRITTEN]! += bytes;
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

  get bytesRead(): number {
    return this.floats[BYTES_READ]!;
  }

  get bytesWritten(): number {
    return this.floats[BYTES_WRITTEN]!;
  }
}
