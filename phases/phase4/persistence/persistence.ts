/**
 * Persistence assembled: on start, recovery reads the directory into a map and loads it into the
 * store; then a {@link PersistentStore} logs every write through a {@link LogWriter}, and a timer
 * starts a compaction (a new snapshot, in a worker thread) when the log passes its size or the
 * snapshot its age. A clean stop writes what is pending, snapshots and closes: the next start
 * reads one snapshot and an empty log.
 *
 *   store ◀── PersistentStore ──records──▶ LogWriter ──write+fsync──▶ log-N.kvl
 *                                          rotate ──▶ compaction worker ──▶ snapshot-N.kvs
 * @module
 */
import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Stat } from '../../../shared/protocol/server-info.ts';
import { StoreMode, StoreResult, type Store } from '../../../shared/store/store.ts';
import type { CommitGate } from '../../../shared/runtime/commit-gate.ts';
import { spawnWorker } from '../../../shared/runtime/spawn-worker.ts';
import type { FsyncPolicy } from '../config/persistence-options.ts';
import type { CompactionJob, CompactionResult } from './compaction-worker.ts';
import { endOf, type ItemMap } from './item-map.ts';
import { DIRECTORY_MODE } from './log-files.ts';
import { LogWriter } from './log-writer.ts';
import { PersistentStore } from './persistent-store.ts';
import { PersistenceStats } from './persistence-stats.ts';
import { recover } from './recovery.ts';

/** What persistence is told. */
export interface PersistenceSettings {
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  /** Start a compaction once the log holds this many bytes. */
  readonly snapshotLogBytes: number;
  /** …or once the last snapshot is this old and something was written since (0: never by age). */
  readonly snapshotSeconds: number;
  readonly repair: boolean;
}

/** How often the thresholds are looked at: once a second is cheap and soon enough. */
const CHECK_MS = 1000;
const COMPACTION_WORKER = new URL('./compaction-worker.ts', import.meta.url);

/** A running persistence layer over one store. */
export class Persistence {
  private compaction: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private lastSnapshotMs = Date.now();
  private closing = false;

  private constructor(
    readonly stats: PersistenceStats,
    readonly store: PersistentStore,
    private readonly writer: LogWriter,
    private readonly settings: PersistenceSettings,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => this.checkThresholds(), CHECK_MS);
    this.timer.unref();
  }

  /** Restores `dir` into `inner` and starts logging its writes. */
  static async open(inner: Store, settings: PersistenceSettings, log: Logger): Promise<Persistence> {
    const started = performance.now();
    await mkdir(settings.dir, { recursive: true, mode: DIRECTORY_MODE });
    const recovered = await recover(settings.dir, { repair: settings.repair, warn: (fields, message) => log.warn(fields, message) });
    const loaded = loadInto(inner, recovered.map, log);
    const stats = new PersistenceStats();
    const writer = await LogWriter.open(settings.dir, recovered.lastSegment + 1, settings.fsync, stats, log);
    const store = new PersistentStore(inner, writer, stats, recovered.map.maxCas);
    const persistence = new Persistence(stats, store, writer, settings, log);
    stats.logBytes = recovered.logBytes;
    stats.snapshotBytes = recovered.snapshotBytes;
    stats.restoredItems = loaded.items;
    stats.restoredBytes = loaded.bytes;
    stats.restoreMs = Math.round(performance.now() - started);
    // A delayed flush_all that was still ahead: it still is, or its moment passed while stopped.
    const flushAt = recovered.map.flushAt;
    if (flushAt !== 0) persistence.store.flushPassesAt(flushAt);
    log.info({
      items: loaded.items, bytes: loaded.bytes, seconds: stats.restoreMs / 1000, snapshot: recovered.snapshot,
      segments: recovered.segments.length, dir: settings.dir, fsync: settings.fsync,
    }, `persistence: restored ${loaded.items} items (${loaded.bytes} bytes) in ${(stats.restoreMs / 1000).toFixed(3)} s`);
    return persistence;
  }

  /** Under `always`, what the replies of a turn that wrote wait for; otherwise nothing. */
  get gate(): CommitGate | undefined {
    return this.settings.fsync === 'always' ? this.writer : undefined;
  }

  /** `stats` lines. */
  statLines(): Stat[] {
    return this.stats.lines(this.settings.fsync);
  }

  /** Writes a snapshot now (unless one is under way: then waits for it). */
  snapshot(): Promise<void> {
    this.compaction ??= this.compact().finally(() => {
      this.compaction = null;
    });
    return this.compaction;
  }

  /** The clean stop: no more writes come (connections are closed), so snapshot and close. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.timer);
    this.store.close();
    if (this.compaction) await this.compaction;
    if (this.writer.writable) await this.snapshot();
    await this.writer.close();
  }

  private checkThresholds(): void {
    if (this.compaction || this.closing || !this.writer.writable) return;
    const { snapshotLogBytes, snapshotSeconds } = this.settings;
    const aged = snapshotSeconds > 0 && Date.now() - this.lastSnapshotMs >= snapshotSeconds * 1000 && this.stats.logBytes > 0;
    if (this.stats.logBytes >= snapshotLogBytes || aged) void this.snapshot();
  }

  /** Rotate the log, then let a worker fold the ended segments into a new snapshot. */
  private async compact(): Promise<void> {
    const started = performance.now();
    this.stats.snapshotInProgress = true;
    const logBytesBefore = this.stats.logBytes;
    try {
      const upTo = await this.writer.rotate();
      // The ended segments now belong to the compaction; the log counts from the new segment.
      this.stats.logBytes -= logBytesBefore;
      const result = await runCompaction({ dir: this.settings.dir, upTo });
      if (!result.ok) {
        this.stats.logBytes += logBytesBefore;
        throw new Error(result.error);
      }
      this.stats.snapshots++;
      this.stats.snapshotBytes = result.bytes;
      this.stats.lastSnapshotAt = Math.floor(Date.now() / 1000);
      this.stats.lastSnapshotMs = Math.round(performance.now() - started);
      this.lastSnapshotMs = Date.now();
      this.log.info({ items: result.items, bytes: result.bytes, ms: this.stats.lastSnapshotMs, upTo }, 'persistence: snapshot written');
    } catch (error) {
      this.stats.errors++;
      this.log.error({ err: error }, 'persistence: the snapshot failed; the log is kept and replayed instead');
    } finally {
      this.stats.snapshotInProgress = false;
    }
  }
}

/** Runs one compaction in a worker thread. */
function runCompaction(job: CompactionJob): Promise<CompactionResult> {
  const worker = spawnWorker(COMPACTION_WORKER, { workerData: job });
  return new Promise((resolve) => {
    let answered = false;
    worker.once('message', (result: CompactionResult) => {
      answered = true;
      resolve(result);
    });
    worker.once('error', (error) => {
      answered = true;
      resolve({ ok: false, error: error.message });
    });
    worker.once('exit', (code) => {
      if (!answered) resolve({ ok: false, error: `the compaction worker exited with ${code}` });
    });
  });
}

/** Stores every live item of `map` with its own CAS; counters start from zero afterwards. */
function loadInto(store: Store, map: ItemMap, log: Logger): { items: number; bytes: number } {
  const now = Date.now();
  let items = 0;
  let bytes = 0;
  let dropped = 0;
  for (const [key, item] of map.items) {
    const end = endOf(item);
    if (end !== 0 && end <= now) continue;
    // An absolute Unix time in seconds (memcached reads a value over 30 days that way).
    const exptime = end === 0 ? 0 : Math.ceil(end / 1000);
    const outcome = store.store(StoreMode.Set, key, item.flags, exptime, item.value, 0n, { explicitCas: item.cas, binaryKey: item.binaryKey });
    if (outcome.result === StoreResult.Stored) {
      items++;
      bytes += item.value.length;
    } else {
      dropped++;
    }
  }
  if (dropped > 0) log.warn({ dropped }, 'persistence: some restored items did not fit this store (a smaller memory limit or item size?)');
  // Restoring is not traffic: memcached starts its counters at zero, and so does this.
  store.resetStats();
  map.items.clear();
  return { items, bytes };
}
