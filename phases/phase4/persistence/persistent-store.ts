/**
 * A Store that logs: it wraps any {@link Store} (the shared store, the slab store) and, for every
 * mutation that changed something, appends a record of the result to the log writer's builder
 * before returning — so by the time the connection sends the reply, the record is ahead of it
 * (write-ahead; under `always` the reply also waits for the fsync: see log-writer.ts).
 *
 * CAS values are handed out here, passed to the store as the "explicit CAS" that meta's E flag
 * uses, so every record carries the CAS the client saw and a restart continues above the highest
 * one ever logged. While the log cannot be written, mutations are refused before they change
 * anything (`SERVER_ERROR`) and reads go on.
 * @module
 */
import {
  ArithResult, DeleteResult, StoreMode, StoreResult,
  type ArithCreate, type ArithOutcome, type ItemInspection, type Item, type MetaArithOutcome, type MetaArithRequest,
  type MetaDeleteRequest, type MetaGetRequest, type MetaGetResult, type SizeClassReport, type Store, type StoreExtras,
  type StoreOutcome, type StoreStats, type MemoryAdminApi,
} from '../../../shared/store/store.ts';
import { expiresAt } from '../../../shared/store/exptime.ts';
import { ProtocolError } from '../../../shared/protocol/errors.ts';
import type { LogWriter } from './log-writer.ts';
import type { PersistenceStats } from './persistence-stats.ts';
import { KEEP_EXPIRY, type RecordBuilder } from './record-format.ts';

/** CAS values are unsigned 64-bit; after the last one the count starts again at 1. */
const CAS_MASK = 0xffff_ffff_ffff_ffffn;
const EMPTY = Buffer.alloc(0);

/** The extras handed to the store, reused so a storage command allocates nothing here. */
interface MutableExtras {
  invalidate?: boolean;
  explicitCas?: bigint;
  binaryKey?: boolean;
}

/** The classic incr/decr, asked of the store as meta's ma so it can carry the CAS; reused. */
interface MutableArith {
  incr: boolean;
  delta: bigint;
  create?: ArithCreate;
  compareCas: bigint;
  explicitCas?: bigint;
}

/** Wraps `inner`, logging each mutation's result to `writer`. */
export class PersistentStore implements Store {
  private nextCas: bigint;
  private readonly records: RecordBuilder;
  private readonly extras: MutableExtras = {};
  private readonly arith: MutableArith = { incr: true, delta: 0n, compareCas: 0n };
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly inner: Store,
    private readonly writer: LogWriter,
    private readonly counters: PersistenceStats,
    /** The highest CAS restored: new ones start above it. */
    maxCas: bigint,
  ) {
    this.records = writer.records;
    this.nextCas = ((maxCas + 1n) & CAS_MASK) || 1n;
  }

  get maxItemSize(): number {
    return this.inner.maxItemSize;
  }

  /**
   * The slab store's memory commands, passed through: what they evict is not logged (a restart
   * may bring an evicted item back, and the store evicts again if it must).
   */
  get admin(): MemoryAdminApi | undefined {
    return this.inner.admin;
  }

  // ── reads: straight through ──

  get(key: string): Item | undefined {
    return this.inner.get(key);
  }

  inspect(key: string): ItemInspection | undefined {
    return this.inner.inspect(key);
  }

  stats(): StoreStats {
    return this.inner.stats();
  }

  sizeClassStats(): SizeClassReport {
    return this.inner.sizeClassStats();
  }

  resetStats(): void {
    this.inner.resetStats();
  }

  // ── mutations: refused while the log fails, recorded when they changed something ──

  getAndTouch(key: string, exptime: number): Item | undefined {
    this.checkWritable();
    const item = this.inner.getAndTouch(key, exptime);
    if (item !== undefined) this.recordTouch(key, exptime);
    return item;
  }

  touch(key: string, exptime: number): boolean {
    this.checkWritable();
    const touched = this.inner.touch(key, exptime);
    if (touched) this.recordTouch(key, exptime);
    return touched;
  }

  store(mode: StoreMode, key: string, flags: number, exptime: number, value: Uint8Array, casUnique?: bigint, extras?: StoreExtras): StoreOutcome {
    this.checkWritable();
    const mine = this.extras;
    mine.invalidate = extras?.invalidate;
    mine.binaryKey = extras?.binaryKey;
    mine.explicitCas = extras?.explicitCas || this.takeCas();
    const outcome = this.inner.store(mode, key, flags, exptime, value, casUnique, mine);
    if (outcome.result !== StoreResult.Stored) return outcome;
    if (mode === StoreMode.Append || mode === StoreMode.Prepend) {
      this.records.concat(mode === StoreMode.Append, key, outcome.cas, value);
    } else {
      this.records.set({ key, flags, expiresAt: expiresAt(exptime, Date.now()), cas: outcome.cas, value, binaryKey: extras?.binaryKey === true });
    }
    this.writer.recorded();
    return outcome;
  }

  metaGet(key: string, request: MetaGetRequest): MetaGetResult | undefined {
    const changes = request.touch !== undefined || request.vivify !== undefined;
    if (!changes) return this.inner.metaGet(key, request);
    this.checkWritable();
    // A vivified item gets a CAS from here; only then is a new request object worth making.
    const asked = request.vivify !== undefined && !request.explicitCas ? { ...request, explicitCas: this.takeCas() } : request;
    const result = this.inner.metaGet(key, asked);
    if (result === undefined) return result;
    if (result.created) {
      this.records.set({ key, flags: 0, expiresAt: expiresAt(request.vivify ?? 0, Date.now()), cas: result.item.cas, value: EMPTY, binaryKey: false });
      this.writer.recorded();
    } else if (request.touch !== undefined) {
      this.recordTouch(key, request.touch);
    }
    return result;
  }

  metaDelete(key: string, request: MetaDeleteRequest): DeleteResult {
    this.checkWritable();
    if (!request.invalidate) {
      const result = this.inner.metaDelete(key, request);
      if (result === DeleteResult.Deleted) this.recordDelete(key);
      return result;
    }
    const cas = request.explicitCas || this.takeCas();
    const result = this.inner.metaDelete(key, { ...request, explicitCas: cas });
    if (result === DeleteResult.Deleted) {
      this.records.invalidate(key, cas, request.touch === undefined ? KEEP_EXPIRY : expiresAt(request.touch, Date.now()));
      this.writer.recorded();
    }
    return result;
  }

  metaArith(key: string, request: MetaArithRequest): MetaArithOutcome {
    this.checkWritable();
    const asked = request.explicitCas ? request : { ...request, explicitCas: this.takeCas() };
    const outcome = this.inner.metaArith(key, asked);
    if (outcome.result === ArithResult.Ok) this.recordArith(key, outcome, outcome.created, request.create, request.touch);
    return outcome;
  }

  delete(key: string): boolean {
    this.checkWritable();
    const deleted = this.inner.delete(key);
    if (deleted) this.recordDelete(key);
    return deleted;
  }

  deleteIfUnchanged(key: string, casUnique: bigint): DeleteResult {
    this.checkWritable();
    const result = this.inner.deleteIfUnchanged(key, casUnique);
    if (result === DeleteResult.Deleted) this.recordDelete(key);
    return result;
  }

  refuseTooLarge(mode: StoreMode, key: string): void {
    this.checkWritable();
    this.inner.refuseTooLarge(mode, key);
    // A refused set drops the old value (see Store): the log must drop it too.
    if (mode === StoreMode.Set) this.recordDelete(key);
  }

  incrDecr(key: string, incr: boolean, delta: bigint, create?: ArithCreate, casUnique = 0n): ArithOutcome {
    this.checkWritable();
    const arith = this.arith;
    arith.incr = incr;
    arith.delta = delta;
    arith.create = create;
    arith.compareCas = casUnique;
    arith.explicitCas = this.takeCas();
    const outcome = this.inner.metaArith(key, arith);
    if (outcome.result === ArithResult.Ok) this.recordArith(key, outcome, outcome.created, create, undefined);
    return outcome;
  }

  flushAll(delaySeconds?: number): void {
    this.checkWritable();
    this.inner.flushAll(delaySeconds);
    const now = Date.now();
    const at = delaySeconds === undefined || delaySeconds <= 0 ? 0 : expiresAt(delaySeconds, now);
    this.records.flush(at > now ? at : 0);
    this.writer.recorded();
    if (at > now) this.flushPassesAt(at);
  }

  /**
   * A delayed flush_all still ahead: at its moment, a FlushPassed record marks where in the log the
   * items stored from then on stop being covered by it.
   */
  flushPassesAt(at: number): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.records.flushPassed();
      this.writer.recorded();
    }, Math.max(0, at - Date.now()));
    this.flushTimer.unref();
  }

  /** Stops the flush timer (the server is stopping). */
  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  private checkWritable(): void {
    if (this.writer.writable) return;
    this.counters.refused++;
    throw new ProtocolError('PERSIST_FAILED');
  }

  private takeCas(): bigint {
    const cas = this.nextCas;
    this.nextCas = ((cas + 1n) & CAS_MASK) || 1n;
    return cas;
  }

  private recordTouch(key: string, exptime: number): void {
    this.records.touch(key, expiresAt(exptime, Date.now()));
    this.writer.recorded();
  }

  private recordDelete(key: string): void {
    this.records.delete(key);
    this.writer.recorded();
  }

  private recordArith(key: string, outcome: ArithOutcome, created: boolean, create: ArithCreate | undefined, touch: number | undefined): void {
    if (created) {
      const exptime = create?.exptime ?? 0;
      this.records.set({ key, flags: 0, expiresAt: expiresAt(exptime, Date.now()), cas: outcome.cas, value: Buffer.from(outcome.value.toString(), 'latin1'), binaryKey: false });
    } else {
      this.records.counter(key, outcome.value, outcome.cas);
      if (touch !== undefined) this.records.touch(key, expiresAt(touch, Date.now()));
    }
    this.writer.recorded();
  }
}
