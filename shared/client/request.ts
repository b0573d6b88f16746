/**
 * What a caller asks of a server, independent of the wire format. A codec turns a request into
 * bytes; nothing else looks inside.
 * @module
 */

/** Options shared by the storage commands. */
export interface StoreOptions {
  /** Opaque 32-bit flags stored with the item (default 0). */
  readonly flags?: number;
  /** 0 = never expires; up to 30 days = seconds from now; larger = a Unix time (default 0). */
  readonly exptime?: number;
}

/** The storage commands that take no CAS token. */
export type StoreOp = 'set' | 'add' | 'replace' | 'append' | 'prepend';

/** A request, by operation. */
export type Request =
  | { readonly op: 'get' | 'gets'; readonly keys: readonly string[] }
  | ({ readonly op: StoreOp; readonly key: string; readonly value: Buffer } & StoreOptions)
  | ({ readonly op: 'cas'; readonly key: string; readonly value: Buffer; readonly cas: bigint } & StoreOptions)
  | { readonly op: 'delete'; readonly key: string }
  /** `delta` is a 64-bit unsigned integer. */
  | { readonly op: 'incr' | 'decr'; readonly key: string; readonly delta: bigint }
  | { readonly op: 'touch'; readonly key: string; readonly exptime: number }
  | { readonly op: 'flush_all'; readonly delay?: number }
  | { readonly op: 'version' }
  /** `group` selects a stats group (`items`, `slabs`, …); absent = general stats. */
  | { readonly op: 'stats'; readonly group?: string };
