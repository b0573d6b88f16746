/**
 * `stats detail`'s per-prefix counters in a SharedArrayBuffer, so every thread records into the
 * same table and any thread can dump it. A key's prefix is what comes before its first delimiter
 * (memcached's `-D`, default `:`); keys without one are not recorded, as in memcached.
 *
 * memcached grows its prefix table without limit: a client sending random prefixes makes it
 * allocate forever. This one is bounded: {@link PREFIX_SLOTS} slots, open addressing with linear
 * probing on the prefix's FNV-1a hash; once every slot is taken, new prefixes are not recorded
 * (and counted in `dropped`), the known ones still are. One lock guards the table; it is taken only
 * while detail is on, so a server with detail off pays one Atomics.load per command.
 * @module
 */
import { AtomicsLock } from '../store/atomics-lock.ts';
import { fnv1a } from '../store/fnv1a.ts';
import type { DetailStats, PrefixRow } from '../protocol/server-info.ts';

/** Prefixes the table holds: enough for an application's key namespaces, 76 KiB in all. */
export const PREFIX_SLOTS = 256;
/** The longest prefix kept: a key is at most 250 bytes, so its prefix fits. */
const MAX_PREFIX_BYTES = 250;

// Int32 header words.
/** The table's lock word (see AtomicsLock). */
const LOCK = 0;
/** 1 while `stats detail on` is in force. Read with Atomics.load outside the lock. */
const ENABLED = 1;
/** Prefixes not recorded because the table was full (not part of memcached's dump). */
const DROPPED = 2;
const HEADER_BYTES = 16;

// One slot: u32 prefix length (0 = free), 4 pad bytes, 4 f64 counters, then the prefix bytes.
const SLOT_LENGTH = 0;
const SLOT_COUNTERS = 8;
const SLOT_PREFIX = SLOT_COUNTERS + 4 * 8;
/** Rounded up to 8 so every slot's f64 counters stay aligned. */
const SLOT_BYTES = Math.ceil((SLOT_PREFIX + MAX_PREFIX_BYTES) / 8) * 8;
const GETS = 0;
const HITS = 1;
const SETS = 2;
const DELETES = 3;

/** Bytes a table needs, for the buffer that holds it. */
export const PREFIX_TABLE_BYTES = HEADER_BYTES + PREFIX_SLOTS * SLOT_BYTES;

/** The table over `byteLength` bytes of `buffer` from `byteOffset` (a multiple of 8), zero-filled when new. */
export class PrefixTable implements DetailStats {
  private readonly ints: Int32Array;
  private readonly bytes: Buffer;
  private readonly floats: Float64Array;
  private readonly lock: AtomicsLock;
  private readonly delimiter: string;

  constructor(buffer: SharedArrayBuffer, byteOffset: number, delimiter = ':') {
    this.ints = new Int32Array(buffer, byteOffset, HEADER_BYTES / 4);
    this.bytes = Buffer.from(buffer, byteOffset + HEADER_BYTES, PREFIX_SLOTS * SLOT_BYTES);
    this.floats = new Float64Array(buffer, byteOffset + HEADER_BYTES, (PREFIX_SLOTS * SLOT_BYTES) / 8);
    this.lock = new AtomicsLock(this.ints, LOCK);
    this.delimiter = delimiter;
  }

  get enabled(): boolean {
    return Atomics.load(this.ints, ENABLED) === 1;
  }

  /** Turns recording on or off for every thread (`stats detail on|off`). */
  setEnabled(on: boolean): void {
    Atomics.store(this.ints, ENABLED, on ? 1 : 0);
  }

  /** Prefixes refused because the table was full. */
  get dropped(): number {
    return Atomics.load(this.ints, DROPPED);
  }

  recordGet(key: string, hit: boolean): void {
    this.record(key, GETS, hit);
  }

  recordSet(key: string): void {
    this.record(key, SETS, false);
  }

  /** Counts a delete of `key` under its prefix. */
  recordDelete(key: string): void {
    this.record(key, DELETES, false);
  }

  rows(): PrefixRow[] {
    const rows: PrefixRow[] = [];
    this.lock.lock();
    try {
      for (let slot = 0; slot < PREFIX_SLOTS; slot++) {
        const length = this.lengthOf(slot);
        if (length === 0) continue;
        const at = slot * SLOT_BYTES;
        const counter = (which: number) => this.floats[(at + SLOT_COUNTERS) / 8 + which]!;
        rows.push({
          prefix: this.bytes.toString('latin1', at + SLOT_PREFIX, at + SLOT_PREFIX + length - 1),
          gets: counter(GETS), hits: counter(HITS), sets: counter(SETS), deletes: counter(DELETES),
        });
      }
    } finally {
      this.lock.unlock();
    }
    return rows;
  }

  clear(): void {
    this.lock.lock();
    try {
      this.bytes.fill(0);
      Atomics.store(this.ints, DROPPED, 0);
    } finally {
      this.lock.unlock();
    }
  }

  /** Adds one to counter `which` of `key`'s prefix (and to its hits, for a get that hit). */
  private record(key: string, which: number, hit: boolean): void {
    const end = key.indexOf(this.delimiter);
    if (end < 0) return;
    // memcached's prefix stops at a NUL byte too (it compares C strings).
    const nul = key.indexOf('\0');
    if ((nul >= 0 && nul < end) || end > MAX_PREFIX_BYTES) return;
    const prefix = key.slice(0, end);
    const hash = fnv1a(prefix);
    this.lock.lock();
    try {
      const slot = this.findOrClaimLocked(prefix, hash);
      if (slot < 0) {
        Atomics.add(this.ints, DROPPED, 1);
        return;
      }
      const base = (slot * SLOT_BYTES + SLOT_COUNTERS) / 8;
      this.floats[base + which]! += 1;
      if (hit) this.floats[base + HITS]! += 1;
    } finally {
      this.lock.unlock();
    }
  }

  /** The slot holding `prefix`, claimed if new; -1 when the table is full. Expects the lock held. */
  private findOrClaimLocked(prefix: string, hash: number): number {
    for (let probe = 0; probe < PREFIX_SLOTS; probe++) {
      const slot = (hash + probe) & (PREFIX_SLOTS - 1);
      const length = this.lengthOf(slot);
      const at = slot * SLOT_BYTES;
      if (length === 0) {
        // Stored length is the prefix's plus one, so an empty prefix (`:key`) is told from a free slot.
        this.bytes.writeUInt32LE(prefix.length + 1, at + SLOT_LENGTH);
        this.bytes.write(prefix, at + SLOT_PREFIX, 'latin1');
        return slot;
      }
      if (length === prefix.length + 1 && this.bytes.toString('latin1', at + SLOT_PREFIX, at + SLOT_PREFIX + prefix.length) === prefix) {
        return slot;
      }
    }
    return -1;
  }

  private lengthOf(slot: number): number {
    return this.bytes.readUInt32LE(slot * SLOT_BYTES + SLOT_LENGTH);
  }
}
