/**
 * The table behind `stats conns`: every open socket with a number of its own (Node shows no file
 * descriptors, so the server numbers its sockets), its peer and listening addresses, and when it
 * last sent something. The threads that own sockets write it; any thread reads it, because it
 * lives in a SharedArrayBuffer — with `--workers N`, `stats` executes in a ring worker, which
 * attaches to the same buffer, and with phase 4's `--threads N` every loop thread adds its own
 * sockets. The listener's line comes first, as in memcached.
 *
 * Several writers: a slot past the high-water mark is claimed with compareExchange on the count,
 * so two threads never take the same one; a freed slot goes on the free list of the thread that
 * freed it (the one that owns the socket), so only that thread reuses it; ids come from one
 * atomic counter in the header.
 *
 * Layout: a 16-byte header, then one 128-byte slot per connection (slot 0 is the listener's).
 * The buffer is growable: it starts with room for {@link INITIAL_SLOTS} and doubles up to
 * `capacity`, so a `-c 1000000` server does not commit 128 MB before its first client.
 *
 *   header  Int32 [0] slots in use (a high-water mark; freed slots are reused below it)
 *           Int32 [1] the id the next socket gets
 *           Float64 at byte 8: the epoch (ms) that slot times count from
 *   slot    Int32 [0] sequence (odd while the owner writes the slot: a seqlock)
 *           Int32 [1] id (0 = free; the listener's slot is in use when its address length is not 0)
 *           Int32 [2] seconds since the epoch of the last bytes received
 *           Uint8 at byte 12: address length, byte 13: listening address length (0xff: the listener's)
 *           bytes 16…71: address (latin1), 72…127: listening address
 * @module
 */
import type { Socket } from 'node:net';
import type { ConnectionInfo } from '../protocol/server-info.ts';

const HEADER_BYTES = 16;
const SLOT_BYTES = 128;
/** Int32 index of the slots-in-use count in the header. */
const USED = 0;
/** Int32 index of the next socket id in the header (Atomics.add: every writer thread numbers from it). */
const NEXT_ID = 1;
/** Byte offset of the Float64 epoch in the header. */
const EPOCH_BYTE = 8;
/** Int32 fields of a slot, relative to the slot's first Int32. */
const SEQ = 0, ID = 1, LAST_SEC = 2;
/** Byte fields of a slot, relative to the slot's first byte. */
const ADDR_LEN = 12, LISTEN_LEN = 13, ADDR = 16, LISTEN = 72;
/** Room for one address: `[` 45 characters of IPv6 (with an embedded IPv4) `]:65535` plus `tcp6:` is 58; 56 holds every real one but that. */
const ADDR_BYTES = 56;
/** A listening length that means "the listener's own address" (a unix socket's peers). */
const SAME_AS_LISTENER = 0xff;
/** Slots the buffer starts with (8 KiB): enough for a test or a small deployment. */
export const INITIAL_SLOTS = 64;
/** A reader retries a slot that changed under it this many times, then leaves it out of this answer. */
const READ_TRIES = 4;

/** Where a listed socket keeps its slot: a property on the socket, not a closure per socket. */
const SLOT = Symbol('kvlab.connectionSlot');

/** A socket listed in the table. */
interface ListedSocket extends Socket {
  [SLOT]: number;
}

/** memcached's way of writing an address: `tcp:127.0.0.1:11211`, `tcp6:[::1]:11211`. */
export function wireAddress(host: string | undefined, port: number | undefined): string {
  // A unix socket's address comes written whole (`unix:/path`).
  if (host?.startsWith('unix:')) return host;
  return host?.includes(':') ? `tcp6:[${host}]:${port}` : `tcp:${host}:${port}`;
}

/** Open sockets, for `stats conns`: written by the threads that own them, read by any. */
export class ConnectionTable {
  /** A growable SharedArrayBuffer (ES2024's, which Node 20 has: tsconfig.json's lib names it). */
  readonly buffer: SharedArrayBuffer;
  /** A length-tracking view: it follows the buffer as it grows. */
  private readonly ints: Int32Array;
  private readonly epochMs: number;
  /** Slots this thread freed, for it alone to reuse (a reader's list stays empty). */
  private readonly free: number[] = [];
  /**
   * The last-read clock: one 'data' handler for every socket of this table (Node calls it with the
   * socket as `this`), one clock read per read from the socket, not per request — idle time is
   * what `stats conns` shows.
   */
  private readonly onData: (this: Socket) => void;

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.ints = new Int32Array(buffer);
    this.epochMs = new Float64Array(buffer, EPOCH_BYTE, 1)[0]!;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the handler's own `this` is the socket
    const table = this;
    this.onData = function (this: Socket): void {
      table.touch((this as ListedSocket)[SLOT]);
    };
  }

  /** A new, empty table for up to `capacity` connections (the server's `-c`). */
  static create(capacity: number): ConnectionTable {
    const slots = capacity + 1;
    const buffer = new SharedArrayBuffer(HEADER_BYTES + Math.min(slots, INITIAL_SLOTS) * SLOT_BYTES, {
      maxByteLength: HEADER_BYTES + slots * SLOT_BYTES,
    });
    new Float64Array(buffer, EPOCH_BYTE, 1)[0] = Date.now();
    // Slot 0 is the listener's, reserved from the start; socket ids count from 1.
    Atomics.store(new Int32Array(buffer), USED, 1);
    Atomics.store(new Int32Array(buffer), NEXT_ID, 1);
    return new ConnectionTable(buffer);
  }

  /** The table another thread made, over its `buffer`: to read, and to add this thread's own sockets. */
  static attach(buffer: SharedArrayBuffer): ConnectionTable {
    return new ConnectionTable(buffer);
  }

  /** The listening socket's address, once bound. */
  listeningOn(host: string, port: number): void {
    this.write(0, 0, wireAddress(host, port), '');
  }

  /** Adds an accepted socket; {@link ConnectionTable.remove} takes it out when it has closed. */
  add(socket: Socket): void {
    const slot = this.claimSlot();
    if (slot === -1) return; // more sockets than -c allows are being turned away: not listed
    // A unix socket's peer has no address: it is listed under the socket's path, as memcached does.
    const unix = socket.remoteAddress === undefined;
    this.write(slot, Atomics.add(this.ints, NEXT_ID, 1), unix ? '' : wireAddress(socket.remoteAddress, socket.remotePort),
      unix ? null : wireAddress(socket.localAddress, socket.localPort));
    (socket as ListedSocket)[SLOT] = slot;
    socket.on('data', this.onData);
  }

  /** Takes a closed socket out of the table (the thread that added it only); its slot is reused. */
  remove(socket: Socket): void {
    const slot = (socket as Partial<ListedSocket>)[SLOT];
    if (slot === undefined) return; // never listed: the table was full
    this.write(slot, 0, '', '');
    this.free.push(slot);
  }

  /** Notes that `slot`'s socket has just sent something. */
  private touch(slot: number): void {
    Atomics.store(this.ints, (slot * SLOT_BYTES + HEADER_BYTES) / 4 + LAST_SEC, this.secondsNow());
  }

  /** Every socket, the listener first; safe from any thread. */
  describe(): ConnectionInfo[] {
    const nowSec = this.secondsNow();
    const rows: ConnectionInfo[] = [];
    const used = Atomics.load(this.ints, USED);
    const listener = this.read(0);
    for (let slot = 0; slot < used; slot++) {
      const row = slot === 0 ? listener : this.read(slot);
      if (row === null || (slot === 0 ? row.addr === '' : row.id === 0)) continue;
      const secsSinceLastCmd = Math.max(0, nowSec - row.lastSec);
      if (slot === 0) {
        rows.push({ id: 0, addr: row.addr, state: 'conn_listening', secsSinceLastCmd });
      } else {
        const addr = row.addr === '' ? (listener?.addr ?? 'unix:') : row.addr;
        // The table cannot see inside a connection: one that is open is, as memcached would say, waiting.
        rows.push({ id: row.id, addr, listenAddr: row.listenAddr ?? addr, state: 'conn_waiting', secsSinceLastCmd });
      }
    }
    return rows;
  }

  /** The whole buffer as it is now, as a Buffer (for latin1 text; a Buffer does not follow growth). */
  private bytesView(): Buffer {
    return Buffer.from(this.buffer, 0, this.buffer.byteLength);
  }

  /** Whole seconds since the table's epoch. */
  private secondsNow(): number {
    return Math.floor((Date.now() - this.epochMs) / 1000);
  }

  /**
   * A free slot (reused, or past the high-water mark, growing the buffer); -1 when the table is full.
   * Safe while other threads claim too: the count moves only by a compareExchange that read it.
   */
  private claimSlot(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    for (;;) {
      const slot = Atomics.load(this.ints, USED);
      const needed = HEADER_BYTES + (slot + 1) * SLOT_BYTES;
      if (needed > this.buffer.maxByteLength) return -1;
      if (needed > this.buffer.byteLength) this.growTo(Math.min(this.buffer.maxByteLength, HEADER_BYTES + (slot + 1) * 2 * SLOT_BYTES));
      // Published after the buffer has grown: a reader that sees the count can read the slot. A
      // thread that claimed it first makes this fail, and the next slot is tried.
      if (Atomics.compareExchange(this.ints, USED, slot, slot + 1) === slot) return slot;
    }
  }

  /** Grows the buffer to at least `length` bytes; another thread may have grown it further already. */
  private growTo(length: number): void {
    while (this.buffer.byteLength < length) {
      try {
        this.buffer.grow(length);
      } catch (error) {
        // A grow to less than the length another thread just grew to is refused: that is room enough.
        if (!(error instanceof RangeError)) throw error;
      }
    }
  }

  /** Writes a slot under its seqlock (the thread that claimed it only). `listenAddr` null: the listener's address. */
  private write(slot: number, id: number, addr: string, listenAddr: string | null): void {
    const base = HEADER_BYTES + slot * SLOT_BYTES;
    const int = base / 4;
    // Odd while writing: a reader that sees odd, or a different number after reading, retries.
    Atomics.add(this.ints, int + SEQ, 1);
    const bytes = this.bytesView();
    this.ints[int + ID] = id;
    this.ints[int + LAST_SEC] = this.secondsNow();
    bytes[base + ADDR_LEN] = bytes.write(addr, base + ADDR, ADDR_BYTES, 'latin1');
    bytes[base + LISTEN_LEN] = listenAddr === null ? SAME_AS_LISTENER : bytes.write(listenAddr, base + LISTEN, ADDR_BYTES, 'latin1');
    Atomics.add(this.ints, int + SEQ, 1);
  }

  /** A consistent copy of a slot, or null when it kept changing under the reader. */
  private read(slot: number): { id: number; lastSec: number; addr: string; listenAddr: string | null } | null {
    const base = HEADER_BYTES + slot * SLOT_BYTES;
    const int = base / 4;
    const view = this.bytesView();
    for (let tries = 0; tries < READ_TRIES; tries++) {
      const before = Atomics.load(this.ints, int + SEQ);
      if ((before & 1) === 1) continue;
      const id = this.ints[int + ID]!;
      const addrLength = Math.min(view[base + ADDR_LEN]!, ADDR_BYTES);
      const listenLength = view[base + LISTEN_LEN]!;
      const addr = view.toString('latin1', base + ADDR, base + ADDR + addrLength);
      const listenAddr = listenLength === SAME_AS_LISTENER ? null : view.toString('latin1', base + LISTEN, base + LISTEN + Math.min(listenLength, ADDR_BYTES));
      // The last-read time is stored on its own (Atomics.store), outside the seqlock.
      const lastSec = Atomics.load(this.ints, int + LAST_SEC);
      if (Atomics.load(this.ints, int + SEQ) === before) return { id, lastSec, addr, listenAddr };
    }
    return null;
  }
}
