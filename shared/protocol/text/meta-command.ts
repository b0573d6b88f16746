/**
 * The meta commands (mg, ms, md, ma, mn, me) as the text parser hands them to the executor:
 * validated plain data (structured-clone safe, so phase 1 can post them to a worker). Flags that
 * only shape the reply are kept as `order`, their letters in request order, because memcached
 * answers them in that order.
 * @module
 */
import type { ErrorCode } from '../errors.ts';
import type { StoreMode } from '../../store/store.ts';
import type { DataBlockCommand } from './text-command.ts';

/** What every meta command with a key carries. */
interface MetaKeyed {
  readonly kind: 'meta';
  /** The key, base64-decoded when `binaryKey`. */
  readonly key: string;
  /** `b`: the key was sent base64-encoded, and is echoed so (`k`). */
  readonly binaryKey: boolean;
  /** `q`: stay silent on the nominal answer (mg: EN; ms, md, ma: HD). */
  readonly quiet: boolean;
  /** Every flag letter, in request order: reply flags are written in this order. */
  readonly order: string;
  /** The whole `O` token (the O included), echoed back; '' without one. */
  readonly opaque: string;
}

/** `mg <key> <flags>*`: a read with any of get, gets, gat, touch and the recache protocol. */
export interface MetaGetCommand extends MetaKeyed {
  readonly name: 'mg';
  readonly value: boolean;
  readonly noBump: boolean;
  /** `T`: new exptime. */
  readonly touch?: number;
  /** `N`: vivify a miss with this exptime (already the later of N and T when both are given). */
  readonly vivify?: number;
  /** `R`: win the recache below this many seconds to live. */
  readonly recache?: number;
  /** `E`: the CAS a vivified item gets. */
  readonly explicitCas?: bigint;
}

/** `ms <key> <datalen> <flags>*` and its data block. */
export interface MetaSetCommand extends MetaKeyed, DataBlockCommand {
  readonly name: 'ms';
  /** The storage mode, `cas` when a `C` turned set or replace into a compare-and-swap. */
  readonly mode: StoreMode;
  readonly flags: number;
  readonly exptime: number;
  /** `C`: the CAS to compare (0n with `cas` mode never matches; append/prepend: 0n = no check). */
  readonly compareCas: bigint;
  readonly invalidate: boolean;
  readonly explicitCas?: bigint;
  /**
   * The line was refused with this error, but memcached still reads and drops its data block,
   * so the parser swallows it (`discard`) and the executor answers the error.
   */
  readonly refused?: ErrorCode;
}

/** `md <key> <flags>*`: delete, or mark stale (`I`). */
export interface MetaDeleteCommand extends MetaKeyed {
  readonly name: 'md';
  readonly compareCas?: bigint;
  readonly invalidate: boolean;
  readonly touch?: number;
  readonly explicitCas?: bigint;
}

/** `ma <key> <flags>*`: incr or decr, creating on a miss with `N`. */
export interface MetaArithCommand extends MetaKeyed {
  readonly name: 'ma';
  readonly incr: boolean;
  readonly delta: bigint;
  readonly initial: bigint;
  /** `N`: create a miss, with this exptime (already the later of N and T when both are given). */
  readonly vivify?: number;
  readonly touch?: number;
  readonly compareCas: bigint;
  readonly explicitCas?: bigint;
  readonly value: boolean;
  /** memcached applies ma and only then refuses an over-long O token: this error follows the work. */
  readonly afterError?: ErrorCode;
}

/** `me <key> [b]`: an item's metadata in words. */
export interface MetaDebugCommand {
  readonly kind: 'meta';
  readonly name: 'me';
  readonly key: string;
}

/** `mn`: answers MN; ends a pipeline of quiet commands. */
export interface MetaNoopCommand {
  readonly kind: 'meta';
  readonly name: 'mn';
}

/** Every meta command. */
export type MetaCommand = MetaGetCommand | MetaSetCommand | MetaDeleteCommand | MetaArithCommand | MetaDebugCommand | MetaNoopCommand;
