/**
 * What a server answers, independent of the wire format: the text codec builds these from reply
 * lines, and the binary codec maps its status codes onto the same union, so callers never see bytes.
 * @module
 */
import type { ErrorCode } from '../protocol/errors.ts';

/** The one-word replies of storage, delete, touch and flush commands. */
export const Status = {
  Stored: 'STORED',
  NotStored: 'NOT_STORED',
  /** `cas` found the item, but its CAS value had changed. */
  Exists: 'EXISTS',
  NotFound: 'NOT_FOUND',
  Deleted: 'DELETED',
  Touched: 'TOUCHED',
  /** `flush_all` and `verbosity`. */
  Ok: 'OK',
} as const;
/** One of {@link Status}. */
export type Status = (typeof Status)[keyof typeof Status];

/** One item of a `get`/`gets` reply. */
export interface Item {
  readonly key: string;
  /** The client's opaque 32-bit flags, as stored. */
  readonly flags: number;
  readonly value: Buffer;
  /**
   * The item's compare-and-swap token: present for `gets` in the text protocol, and for every get
   * in the binary protocol, whose replies always carry it.
   */
  readonly cas?: bigint;
}

/** The three error lines of the protocol. */
export type ErrorKind = 'ERROR' | 'CLIENT_ERROR' | 'SERVER_ERROR';

/** A reply, by kind. */
export type Reply =
  | { readonly kind: 'status'; readonly status: Status }
  /** incr/decr: the new value; 64-bit unsigned, hence bigint. */
  | { readonly kind: 'number'; readonly value: bigint }
  /** get/gets: the items found, in the order the server sent them (misses are simply absent). */
  | { readonly kind: 'values'; readonly items: readonly Item[] }
  | { readonly kind: 'stats'; readonly stats: ReadonlyMap<string, string> }
  | { readonly kind: 'version'; readonly version: string }
  /**
   * An error line. `code` names the entry of the shared error catalogue whose words match
   * exactly, when one does, so callers branch on a code and never on message text.
   */
  | { readonly kind: 'error'; readonly type: ErrorKind; readonly message: string; readonly code: ErrorCode | undefined };

/**
 * How a reply is framed, which the text protocol cannot tell from the bytes alone: a `get` ends
 * at `END`, an `incr` is one line. The connection remembers the shape of every request in flight
 * and the decoder asks for the oldest one. A binary codec frames by length and may ignore it.
 */
export const ReplyShape = {
  /** One line: a status, a number, `VERSION …`, or an error. */
  Line: 0,
  /** `VALUE` blocks until `END` (get, gets). */
  Values: 1,
  /** `STAT` lines until `END` (stats). */
  Stats: 2,
} as const;
/** One of {@link ReplyShape}. */
export type ReplyShape = (typeof ReplyShape)[keyof typeof ReplyShape];
