/**
 * The commands of memcached's text protocol as the parser hands them to an executor: plain data,
 * already validated (key lengths, number ranges, token counts), so execution never sees raw bytes.
 * @module
 */
import type { ErrorCode } from '../errors.ts';
import type { StoreMode } from '../../store/store.ts';
import type { MetaCommand } from './meta-command.ts';
import type { RefreshCertsCommand } from './refresh-certs.ts';
import type { MemoryAdminCommand } from './memory-admin.ts';

/** get/gets/gat/gats: one or more keys; `exptime` is only meaningful for gat/gats. */
export interface RetrievalCommand {
  readonly kind: 'retrieval';
  readonly name: 'get' | 'gets' | 'gat' | 'gats';
  readonly keys: string[];
  readonly exptime: number;
}

/** A command followed by a data block (a storage command, or meta's ms): the parser collects the block. */
export interface DataBlockCommand {
  readonly key: string;
  /** The declared length of the data block. */
  readonly length: number;
  /** Silences a `CLIENT_ERROR bad data chunk` too. */
  readonly noreply: boolean;
  /** The value, without its CRLF; empty when `tooLarge` or `discard`. */
  data: Buffer;
  /** Set by the parser: the block was too large for the item size limit and is being discarded. */
  tooLarge: boolean;
  /** The line was refused, but its data block must still be read and dropped (meta's ms). */
  readonly discard?: boolean;
}

/** set/add/replace/append/prepend/cas with its data block. */
export interface StorageCommand extends DataBlockCommand {
  readonly kind: 'storage';
  readonly name: StoreMode;
  readonly key: string;
  readonly flags: number;
  readonly exptime: number;
  /** Only read for `cas`: the client's 64-bit CAS unique, exactly. */
  readonly casUnique: bigint;
  readonly noreply: boolean;
  /** The declared length of the data block (the `<bytes>` word). */
  readonly length: number;
  /**
   * The value, without its CRLF. Empty when `tooLarge`: the declared bytes were too many for the
   * item size limit and are being discarded as they arrive, never buffered.
   */
  data: Buffer;
  tooLarge: boolean;
}

/** `delete <key> [noreply]`: removes an item. */
export interface DeleteCommand {
  readonly kind: 'delete';
  readonly key: string;
  readonly noreply: boolean;
}

/** `incr|decr <key> <delta> [noreply]`: 64-bit unsigned arithmetic on a decimal value. */
export interface ArithCommand {
  readonly kind: 'arith';
  readonly name: 'incr' | 'decr';
  readonly key: string;
  readonly delta: bigint;
  readonly noreply: boolean;
}

/** `touch <key> <exptime> [noreply]`: sets a new expiry without fetching. */
export interface TouchCommand {
  readonly kind: 'touch';
  readonly key: string;
  readonly exptime: number;
  readonly noreply: boolean;
}

/** `flush_all [delay] [noreply]`: invalidates every item, now or later. */
export interface FlushCommand {
  readonly kind: 'flush_all';
  /** Seconds until the flush takes effect (0 = now), or an absolute Unix time, like exptime. */
  readonly delay: number;
  readonly noreply: boolean;
}

/** `stats [group]`: server statistics. */
export interface StatsCommand {
  readonly kind: 'stats';
  /** '' for general statistics; 'reset', 'settings', … otherwise. */
  readonly group: string;
  /** The word after the group, which `stats detail on|off|dump` reads. */
  readonly arg?: string;
}

/** `verbosity <level> [noreply]`: accepted for compatibility; answers OK. */
export interface VerbosityCommand {
  readonly kind: 'verbosity';
  readonly level: number;
  readonly noreply: boolean;
}

/**
 * `shutdown [graceful]`: stops the server, when it serves the command at all (memcached's `-A`).
 * The mode is judged only then: a server that refuses the command refuses any form of it.
 */
export interface ShutdownCommand {
  readonly kind: 'shutdown';
  /** `now` (no word), `graceful`, or `invalid` (any other word, or more words). */
  readonly mode: 'now' | 'graceful' | 'invalid';
}

/** `version` and `quit`: commands without arguments. */
export interface SimpleCommand {
  readonly kind: 'version' | 'quit';
}

/**
 * A line that gets an error instead of executing. `noreply` carries the command's own noreply:
 * memcached 1.6 stays silent about errors in a command that asked for no reply.
 */
export interface ErrorCommand {
  readonly kind: 'error';
  readonly code: ErrorCode;
  readonly noreply: boolean;
}

/** Everything the text parser can produce. */
export type TextCommand =
  | RetrievalCommand
  | StorageCommand
  | DeleteCommand
  | ArithCommand
  | TouchCommand
  | FlushCommand
  | StatsCommand
  | VerbosityCommand
  | SimpleCommand
  | ShutdownCommand
  | RefreshCertsCommand
  | MemoryAdminCommand
  | MetaCommand
  | ErrorCommand;
