/**
 * What the binary parser hands to the executor: a complete request with its extras decoded into
 * named fields, or a framing error from the catalogue below. The executor never sees raw header
 * bytes. Each framing error names memcached 1.6.18's status and what it does to the connection,
 * as observed by sending it each malformed header.
 * @module
 */
import type { FrameErrorCode } from '../errors.ts';

/** One complete, well-formed request. Fields an opcode does not carry are 0, '' or empty. */
export interface BinaryRequest {
  readonly kind: 'request';
  /** The opcode byte as sent (quiet forms included); see `opcodeSpec` for its meaning. */
  readonly opcode: number;
  /** Echoed in the response. */
  readonly opaque: number;
  /** The request's CAS (0n = no check): all 64 bits, exactly, as memcached reads them. */
  readonly cas: bigint;
  /** The key as a latin1 string: one character per byte, as the store expects. */
  readonly key: string;
  /** The value: a view into the received bytes when it arrived in one chunk, else one copy. */
  readonly value: Buffer;
  /** Set/Add/Replace: the client's 32-bit flags. */
  readonly flags: number;
  /** Set/Add/Replace/Touch/GAT/Incr/Decr: exptime; Flush: its delay. Unsigned 32-bit. */
  readonly exptime: number;
  /** Incr/Decr: the amount (unsigned 64-bit). */
  readonly delta: bigint;
  /** Incr/Decr: the value stored when the key is missing (unless exptime is 0xffffffff). */
  readonly initial: bigint;
}

// The framing errors live in the one error catalogue, with their statuses and actions.
export { FRAME_ERRORS, type FrameErrorCode } from '../errors.ts';

/** A request that could not be accepted, with enough of its header to answer it. */
export interface BinaryFrameError {
  readonly kind: 'error';
  readonly code: FrameErrorCode;
  readonly opcode: number;
  readonly opaque: number;
  /** Only TOO_LARGE carries its key: a Set that fails must remove the old value, as memcached does. */
  readonly key: string;
}

/** What the parser produces, in input order. */
export type BinaryFrame = BinaryRequest | BinaryFrameError;
