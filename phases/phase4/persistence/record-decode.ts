/**
 * Turns a record's payload (checked already: see record-reader.ts) back into what it says. A
 * payload whose fields do not fit its length is damage that happened to pass the checksum, or a
 * bug: decoding says so (null) rather than reading past the record.
 * @module
 */
import { RecordKind, type ItemRecord } from './record-format.ts';

/** One decoded record. Keys are latin1 strings, as the store holds them. */
export type LogRecord =
  | { readonly kind: typeof RecordKind.Set; readonly item: ItemRecord }
  | { readonly kind: typeof RecordKind.Delete; readonly key: string }
  | { readonly kind: typeof RecordKind.Append | typeof RecordKind.Prepend; readonly key: string; readonly cas: bigint; readonly chunk: Buffer }
  | { readonly kind: typeof RecordKind.Touch; readonly key: string; readonly expiresAt: number }
  | { readonly kind: typeof RecordKind.Counter; readonly key: string; readonly value: bigint; readonly cas: bigint }
  | { readonly kind: typeof RecordKind.Flush; readonly at: number }
  | { readonly kind: typeof RecordKind.FlushPassed }
  | { readonly kind: typeof RecordKind.Invalidate; readonly key: string; readonly cas: bigint; readonly expiresAt: number }
  | { readonly kind: typeof RecordKind.End; readonly items: number; readonly maxCas: bigint };

/** A key at `at` (u16 length, then latin1 bytes), or null when it does not fit. */
function keyAt(p: Buffer, at: number): { key: string; next: number } | null {
  if (at + 2 > p.length) return null;
  const length = p.readUInt16LE(at);
  const next = at + 2 + length;
  if (next > p.length) return null;
  return { key: p.toString('latin1', at + 2, next), next };
}

/** The record `payload` holds, or null when its fields do not fit its length. */
export function decodeRecord(p: Buffer): LogRecord | null {
  const kind = p[0];
  switch (kind) {
    case RecordKind.Set: {
      if (p.length < 22) return null;
      const k = keyAt(p, 22);
      if (k === null) return null;
      return {
        kind,
        item: {
          binaryKey: (p[1]! & 1) !== 0, flags: p.readUInt32LE(2), expiresAt: p.readDoubleLE(6), cas: p.readBigUInt64LE(14),
          key: k.key, value: p.subarray(k.next),
        },
      };
    }
    case RecordKind.Delete: {
      const k = keyAt(p, 1);
      return k && k.next === p.length ? { kind, key: k.key } : null;
    }
    case RecordKind.Append:
    case RecordKind.Prepend: {
      if (p.length < 9) return null;
      const k = keyAt(p, 9);
      return k && { kind, key: k.key, cas: p.readBigUInt64LE(1), chunk: p.subarray(k.next) };
    }
    case RecordKind.Touch: {
      if (p.length < 9) return null;
      const k = keyAt(p, 9);
      return k && k.next === p.length ? { kind, key: k.key, expiresAt: p.readDoubleLE(1) } : null;
    }
    case RecordKind.Counter: {
      if (p.length < 17) return null;
      const k = keyAt(p, 17);
      return k && k.next === p.length ? { kind, key: k.key, value: p.readBigUInt64LE(1), cas: p.readBigUInt64LE(9) } : null;
    }
    case RecordKind.Flush:
      return p.length === 9 ? { kind, at: p.readDoubleLE(1) } : null;
    case RecordKind.FlushPassed:
      return p.length === 1 ? { kind } : null;
    case RecordKind.Invalidate: {
      if (p.length < 17) return null;
      const k = keyAt(p, 17);
      return k && k.next === p.length ? { kind, key: k.key, cas: p.readBigUInt64LE(1), expiresAt: p.readDoubleLE(9) } : null;
    }
    case RecordKind.End:
      return p.length === 17 ? { kind, items: Number(p.readBigUInt64LE(1)), maxCas: p.readBigUInt64LE(9) } : null;
    default:
      return null;
  }
}
