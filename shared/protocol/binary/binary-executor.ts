/**
 * Executes binary-protocol requests against a {@link Store} and writes memcached's responses into
 * a {@link BinaryReply}. It sees decoded requests, never raw bytes, and never touches a socket: the
 * same function runs inline on an event loop or inside a worker thread.
 *
 * Quiet opcodes run the code of their loud twin and then stay silent on success (the Get/GAT
 * family also on a miss); errors are always sent. Responses follow memcached 1.6.18's; a test
 * sends the same bytes to the real server and compares the replies field by field (CAS values
 * only as zero or not).
 * @module
 */
import { ArithResult, DeleteResult, StoreMode, StoreResult, type Store } from '../../store/store.ts';
import { ErrorAction } from '../errors.ts';
import type { ServerInfo } from '../server-info.ts';
import { answerStats, binaryStatsRequest } from '../stats/stats-groups.ts';
import { After } from '../after.ts';
import { NO_CREATE_EXPTIME, Opcode, Status } from './constants.ts';
import { opcodeSpec, type Command, type OpcodeSpec } from './opcode-table.ts';
import { FRAME_ERRORS, type BinaryFrame, type BinaryFrameError, type BinaryRequest } from './binary-request.ts';
import type { BinaryReply } from './binary-reply.ts';
import type { BinaryHits } from './binary-hit.ts';

/**
 * Runs one request (or answers one framing error) and appends its response, if any, to `out`.
 * Returns whether the connection stays open. A non-zero request CAS is honoured by every command
 * that changes an item: a mismatch answers "Data exists for key.", as memcached does. With `hits`
 * (`out`'s fast-path writer), a Get against a store that offers `getInto` is answered from the
 * store's memory (binary-hit.ts); the bytes sent are the same either way.
 */
export function executeBinary(frame: BinaryFrame, store: Store, server: ServerInfo, out: BinaryReply, hits?: BinaryHits): After {
  if (frame.kind === 'error') return answerFrameError(frame, store, out);
  const spec = opcodeSpec(frame.opcode);
  if (spec === undefined) {
    // The parser never produces such a request; answer as memcached would rather than throw.
    out.error(frame.opcode, frame.opaque, Status.UnknownCommand);
    return After.Continue;
  }
  switch (spec.command) {
    case Opcode.Get:
    case Opcode.GetK:
    case Opcode.GAT:
    case Opcode.GATK:
    case Opcode.Touch:
      retrieve(frame, spec, store, server, out, hits);
      return After.Continue;
    case Opcode.Set:
    case Opcode.Add:
    case Opcode.Replace:
    case Opcode.Append:
    case Opcode.Prepend:
      storeValue(frame, spec, store, server, out);
      return After.Continue;
    case Opcode.Delete:
      if (server.detail.enabled) server.detail.recordDelete(frame.key);
      switch (store.deleteIfUnchanged(frame.key, frame.cas)) {
        case DeleteResult.Deleted: succeed(frame, spec, 0n, out); break;
        case DeleteResult.NotFound: out.error(frame.opcode, frame.opaque, Status.KeyNotFound); break;
        case DeleteResult.Exists: out.error(frame.opcode, frame.opaque, Status.KeyExists); break;
      }
      return After.Continue;
    case Opcode.Increment:
    case Opcode.Decrement:
      arithmetic(frame, spec, store, out);
      return After.Continue;
    case Opcode.Flush:
      // exptime is the delay: 0 = now, else seconds from now or a Unix time, as for items.
      store.flushAll(frame.exptime);
      succeed(frame, spec, 0n, out);
      return After.Continue;
    case Opcode.Noop:
      out.success(frame.opcode, frame.opaque, 0n);
      return After.Continue;
    case Opcode.Version:
      out.text(frame.opcode, frame.opaque, server.version);
      return After.Continue;
    case Opcode.Stat:
      stats(frame, store, server, out);
      return After.Continue;
    case Opcode.Quit:
      succeed(frame, spec, 0n, out);
      return After.Close;
  }
}

/** A success: silent for a quiet opcode. */
function succeed(frame: BinaryRequest, spec: OpcodeSpec, cas: bigint, out: BinaryReply): void {
  if (!spec.quiet) out.success(frame.opcode, frame.opaque, cas);
}

/** Get, GetK, GAT, GATK and Touch (a GAT that returns no value), loud or quiet. */
function retrieve(frame: BinaryRequest, spec: OpcodeSpec, store: Store, server: ServerInfo, out: BinaryReply, hits: BinaryHits | undefined): void {
  const touches = spec.command === Opcode.GAT || spec.command === Opcode.GATK || spec.command === Opcode.Touch;
  const withKey = spec.command === Opcode.GetK || spec.command === Opcode.GATK;
  let found: boolean;
  if (!touches && hits !== undefined && store.getInto !== undefined) {
    // The fast path: a hit's response is written from the store's memory, with no Item between.
    found = store.getInto(frame.key, hits.sink(frame.opcode, frame.opaque, frame.key, withKey));
  } else {
    const item = touches ? store.getAndTouch(frame.key, frame.exptime) : store.get(frame.key);
    if (item !== undefined) out.item(frame.opcode, frame.opaque, item, withKey, spec.command !== Opcode.Touch);
    found = item !== undefined;
  }
  if (server.detail.enabled) server.detail.recordGet(frame.key, found);
  if (found) return;
  if (spec.quiet) {
    // GetQ, GetKQ, GATQ and GATKQ say nothing on a miss: a client pipelines them and ends with a Noop.
  } else if (withKey) {
    out.keyMiss(frame.opcode, frame.opaque, frame.key);
  } else {
    out.error(frame.opcode, frame.opaque, Status.KeyNotFound);
  }
}

/** Set, Add, Replace, Append and Prepend. A non-zero request CAS turns Set/Add/Replace into a cas. */
function storeValue(frame: BinaryRequest, spec: OpcodeSpec, store: Store, server: ServerInfo, out: BinaryReply): void {
  // memcached records the set before it tries to store, so refused ones count too.
  if (server.detail.enabled) server.detail.recordSet(frame.key);
  const mode = storeMode(spec.command, frame.cas);
  const outcome = store.store(mode, frame.key, frame.flags, frame.exptime, frame.value, frame.cas);
  if (outcome.result === StoreResult.Stored) {
    succeed(frame, spec, outcome.cas, out);
    return;
  }
  out.error(frame.opcode, frame.opaque, storeFailure(spec.command, outcome.result));
}

function storeMode(command: Command, cas: bigint): StoreMode {
  switch (command) {
    case Opcode.Append: return StoreMode.Append;
    case Opcode.Prepend: return StoreMode.Prepend;
    default:
      if (cas !== 0n) return StoreMode.Cas;
      if (command === Opcode.Add) return StoreMode.Add;
      return command === Opcode.Replace ? StoreMode.Replace : StoreMode.Set;
  }
}

/** The status memcached sends for a storage command that did not store. */
function storeFailure(command: Command, result: StoreResult): Status {
  if (result === StoreResult.Exists) return Status.KeyExists;
  // memcached answers every other Append/Prepend failure, even outgrowing the item size limit,
  // with "Not stored.".
  if (command === Opcode.Append || command === Opcode.Prepend) return Status.NotStored;
  switch (result) {
    case StoreResult.NotFound: return Status.KeyNotFound;
    case StoreResult.TooLarge: return Status.TooLarge;
    case StoreResult.NoMemory: return Status.OutOfMemory;
    default:
      // NOT_STORED: Add found the key, Replace did not.
      if (command === Opcode.Add) return Status.KeyExists;
      if (command === Opcode.Replace) return Status.KeyNotFound;
      return Status.NotStored;
  }
}

/** Increment and Decrement: a missing key is created with `initial`, unless exptime is 0xffffffff. */
function arithmetic(frame: BinaryRequest, spec: OpcodeSpec, store: Store, out: BinaryReply): void {
  const create = frame.exptime === NO_CREATE_EXPTIME ? undefined : { initial: frame.initial, exptime: frame.exptime };
  const outcome = store.incrDecr(frame.key, spec.command === Opcode.Increment, frame.delta, create, frame.cas);
  switch (outcome.result) {
    case ArithResult.Ok:
      if (!spec.quiet) out.counter(frame.opcode, frame.opaque, outcome.cas, outcome.value);
      return;
    case ArithResult.NotFound: return out.error(frame.opcode, frame.opaque, Status.KeyNotFound);
    case ArithResult.NonNumeric: return out.error(frame.opcode, frame.opaque, Status.NonNumeric);
    case ArithResult.NoMemory: return out.error(frame.opcode, frame.opaque, Status.OutOfMemory);
    case ArithResult.Exists: return out.error(frame.opcode, frame.opaque, Status.KeyExists);
  }
}

/**
 * Stat: the key names the group ("" = all), as binaryStatsRequest reads it. One response per
 * statistic, then an empty one; a reset or a detail switch sends only the empty one, the detail
 * dump its whole text as the value of one `detailed` statistic, as memcached 1.6.18 does.
 */
function stats(frame: BinaryRequest, store: Store, server: ServerInfo, out: BinaryReply): void {
  const request = binaryStatsRequest(frame.key);
  const answer = request === undefined ? undefined : answerStats(request, store, server);
  if (answer === undefined || answer.kind === 'error') {
    out.error(frame.opcode, frame.opaque, Status.KeyNotFound);
    return;
  }
  if (answer.kind === 'stats') {
    for (const [name, value] of answer.stats) out.stat(frame.opcode, frame.opaque, name, String(value));
  } else if (answer.kind === 'dump') {
    out.stat(frame.opcode, frame.opaque, 'detailed', answer.text);
  }
  out.stat(frame.opcode, frame.opaque, '', '');
}

/** Answers a framing error as memcached does: a status, and for some a close. */
function answerFrameError(frame: BinaryFrameError, store: Store, out: BinaryReply): After {
  const { status, action } = FRAME_ERRORS[frame.code];
  if (frame.code === 'TOO_LARGE' && opcodeSpec(frame.opcode)?.command === Opcode.Set) store.refuseTooLarge(StoreMode.Set, frame.key);
  if (action !== ErrorAction.Close) out.error(frame.opcode, frame.opaque, status);
  return action === ErrorAction.Reply ? After.Continue : After.Close;
}
