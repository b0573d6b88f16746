/**
 * Records applied to a plain map of items: the one place that says what each record means. The
 * start builds this map from the snapshot and the log before loading the store, and a compaction
 * builds it from files to write the next snapshot, so both read the records the same way.
 * @module
 */
import { KEEP_EXPIRY, RecordKind } from './record-format.ts';
import type { LogRecord } from './record-decode.ts';

/** An item as the map holds it. */
export interface MapItem {
  flags: number;
  /** Absolute expiry in ms; 0 = never. */
  expiresAt: number;
  /** A delayed flush_all's moment, when one covers the item (0: none). */
  flushAt: number;
  cas: bigint;
  value: Buffer;
  binaryKey: boolean;
}

/** When an item stops being served: its expiry or a flush, whichever comes first (0: never). */
export function endOf(item: MapItem): number {
  if (item.flushAt === 0) return item.expiresAt;
  return item.expiresAt === 0 ? item.flushAt : Math.min(item.expiresAt, item.flushAt);
}

/** The items that the records so far describe. */
export class ItemMap {
  readonly items = new Map<string, MapItem>();
  /** The highest CAS any record has carried: a restarted store hands out only higher ones. */
  maxCas = 0n;
  /** A delayed flush_all not yet passed: items stored until then are covered by it too. */
  flushAt = 0;

  /** Applies one record. */
  apply(record: LogRecord): void {
    switch (record.kind) {
      case RecordKind.Set: {
        const { item } = record;
        this.seen(item.cas);
        // A copy: the record is a view into a read buffer that is about to be reused.
        this.items.set(item.key, {
          flags: item.flags, expiresAt: item.expiresAt, flushAt: this.flushAt, cas: item.cas,
          value: Buffer.from(item.value), binaryKey: item.binaryKey,
        });
        return;
      }
      case RecordKind.Delete:
        this.items.delete(record.key);
        return;
      case RecordKind.Append:
      case RecordKind.Prepend: {
        this.seen(record.cas);
        const item = this.items.get(record.key);
        if (!item) return;
        item.value = record.kind === RecordKind.Append ? Buffer.concat([item.value, record.chunk]) : Buffer.concat([record.chunk, item.value]);
        item.cas = record.cas;
        return;
      }
      case RecordKind.Touch: {
        const item = this.items.get(record.key);
        if (item) item.expiresAt = record.expiresAt;
        return;
      }
      case RecordKind.Counter: {
        this.seen(record.cas);
        const item = this.items.get(record.key);
        if (!item) return;
        item.value = Buffer.from(record.value.toString(), 'latin1');
        item.cas = record.cas;
        return;
      }
      case RecordKind.Invalidate: {
        this.seen(record.cas);
        const item = this.items.get(record.key);
        if (!item) return;
        item.cas = record.cas;
        if (record.expiresAt !== KEEP_EXPIRY) item.expiresAt = record.expiresAt;
        return;
      }
      case RecordKind.Flush:
        if (record.at === 0) {
          this.items.clear();
          this.flushAt = 0;
          return;
        }
        // Items stored before the moment go at the moment, and so do those stored until then.
        this.flushAt = record.at;
        for (const item of this.items.values()) item.flushAt = record.at;
        return;
      case RecordKind.FlushPassed:
        this.flushAt = 0;
        return;
      case RecordKind.End:
        this.seen(record.maxCas);
        return;
    }
  }

  /** Drops every item whose time has come by `nowMs`. */
  dropExpired(nowMs: number): void {
    for (const [key, item] of this.items) {
      const end = endOf(item);
      if (end !== 0 && end <= nowMs) this.items.delete(key);
    }
  }

  private seen(cas: bigint): void {
    if (cas > this.maxCas) this.maxCas = cas;
  }
}
