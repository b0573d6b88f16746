/**
 * The append-only log's writer, with group commit. Mutations add records to one builder during a
 * turn of the event loop; a single pump then writes everything gathered as one positional write
 * (libuv's thread pool does it: the loop never waits for the disk) and, under `always`, one
 * fdatasync, after which every connection waiting for that turn's records gets its replies.
 * Records arriving while a batch is on its way form the next batch, so under load each fsync
 * covers all the writes of its time — the disk's latency is paid per batch, not per write.
 *
 * Policies (redis's appendfsync): `always` — replies wait for the fsync; `everysec` — a timer
 * fsyncs once a second, so a crash loses at most about the last second; `no` — the kernel writes
 * back when it likes. A failed write or fsync turns the writer unhealthy: waiting connections are
 * failed (they never see replies for writes that may not be durable), mutations are refused until
 * a retry once a second rewrites everything not yet known durable and fsyncs it (after a failed
 * fsync Linux may have dropped the dirty pages, so a retried fsync alone proves nothing).
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { CommitGate, CommitWaiter } from '../../../shared/runtime/commit-gate.ts';
import type { FsyncPolicy } from '../config/persistence-options.ts';
import { FILE_MODE, logPath, syncDirectory } from './log-files.ts';
import type { PersistenceStats } from './persistence-stats.ts';
import { RecordBuilder } from './record-format.ts';


/** How often a failed log is retried, and how often `everysec` syncs (ms). */
const RETRY_MS = 1000;
const EVERYSEC_MS = 1000;

/** One batch handed to the file and not yet known to be on disk. */
interface Unsynced {
  readonly buffer: Buffer;
  readonly position: number;
}

/** Appends records to the current log segment under an fsync policy. */
export class LogWriter implements CommitGate {
  /** Where mutations build their records; {@link recorded} after each. */
  readonly records = new RecordBuilder();
  private handle: FileHandle;
  private segmentNumber: number;
  /** Bytes in the current segment handed to the file, and fully written. */
  private filePosition: number;
  private writtenPosition: number;
  /** Bytes taken from the builder since start (a position in the whole stream), and of those, durable. */
  private takenBytes = 0;
  private durableBytes = 0;
  private pumping = false;
  private scheduled = false;
  private syncing = false;
  private unsynced: Unsynced[] = [];
  private readonly waitPositions: number[] = [];
  private readonly waiters: CommitWaiter[] = [];
  private rotation: { resolve: (segment: number) => void; reject: (error: unknown) => void } | null = null;
  private healthy = true;
  private readonly timer: NodeJS.Timeout | null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly dir: string,
    handle: FileHandle,
    segment: number,
    private readonly policy: FsyncPolicy,
    private readonly stats: PersistenceStats,
    private readonly log: Logger,
  ) {
    this.handle = handle;
    this.segmentNumber = segment;
    this.filePosition = 0;
    this.writtenPosition = 0;
    this.timer = policy === 'everysec' ? setInterval(() => void this.syncSoon(), EVERYSEC_MS) : null;
    this.timer?.unref();
  }

  /** Opens a new, empty segment `segment` in `dir`. */
  static async open(dir: string, segment: number, policy: FsyncPolicy, stats: PersistenceStats, log: Logger): Promise<LogWriter> {
    const handle = await open(logPath(dir, segment), 'w', FILE_MODE);
    await syncDirectory(dir);
    return new LogWriter(dir, handle, segment, policy, stats, log);
  }

  /** The segment records go to now. */
  get segment(): number {
    return this.segmentNumber;
  }

  /** False while writes are failing: mutations must be refused before they change anything. */
  get writable(): boolean {
    return this.healthy && !this.closed;
  }

  /** Called after each record built: a pump is scheduled for the end of this turn. */
  recorded(): void {
    this.stats.records++;
    if (this.scheduled || this.pumping || !this.healthy) return;
    this.scheduled = true;
    // setImmediate runs after this turn's I/O callbacks: every connection served in the turn has
    // added its records by then, so they share one write (and one fsync).
    setImmediate(this.startPump);
  }

  /** The stream position after everything recorded so far: what a connection's replies wait for. */
  position(): number {
    return this.takenBytes + this.records.bytes;
  }

  /**
   * Under `always`: calls `waiter` once everything up to `position` is durable (or has failed).
   * Returns false, and calls nothing, when it already is.
   */
  wait(position: number, waiter: CommitWaiter): boolean {
    if (this.durableBytes >= position) return false;
    this.waitPositions.push(position);
    this.waiters.push(waiter);
    return true;
  }

  /**
   * Ends the current segment: everything before it written and fsynced, a new one opened. Resolves
   * with the ended segment's number, which a snapshot may then replace.
   */
  rotate(): Promise<number> {
    if (this.rotation) return Promise.reject(new Error('a rotation is already under way'));
    return new Promise((resolve, reject) => {
      this.rotation = { resolve, reject };
      this.kick();
    });
  }

  /** Writes what is pending, fsyncs (whatever the policy: a clean stop loses nothing) and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.pumping || this.scheduled) await new Promise((resolve) => setImmediate(resolve));
    if (this.healthy && this.records.bytes > 0) await this.pump();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    try {
      if (this.healthy) await this.timedSync();
    } finally {
      await this.handle.close();
    }
  }

  private readonly startPump = (): void => {
    this.scheduled = false;
    void this.pump();
  };

  private kick(): void {
    if (!this.pumping && !this.scheduled && this.healthy) {
      this.scheduled = true;
      setImmediate(this.startPump);
    }
  }

  /** Writes batches until nothing is pending; one pump at a time. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.healthy && (this.records.bytes > 0 || this.rotation)) {
        if (this.records.bytes > 0) await this.writeBatch();
        if (this.rotation && this.healthy) await this.switchSegment();
      }
    } finally {
      this.pumping = false;
    }
  }

  private async writeBatch(): Promise<void> {
    const buffer = this.records.take();
    const position = this.filePosition;
    this.filePosition += buffer.length;
    this.takenBytes += buffer.length;
    const target = this.takenBytes;
    const batch = { buffer, position };
    this.unsynced.push(batch);
    try {
      await this.writeAll(batch);
      this.writtenPosition = position + buffer.length;
      this.stats.logBytes += buffer.length;
      if (this.policy === 'no') this.unsynced.pop();
      if (this.policy === 'always') {
        await this.timedSync();
        this.unsynced = [];
        this.release(target);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Writes one batch at its position, however many calls the file needs. */
  private async writeAll(batch: Unsynced): Promise<void> {
    let done = 0;
    while (done < batch.buffer.length) {
      const { bytesWritten } = await this.handle.write(batch.buffer, done, batch.buffer.length - done, batch.position + done);
      done += bytesWritten;
    }
  }

  /** fdatasync, timed into the histogram. */
  private async timedSync(): Promise<void> {
    const started = performance.now();
    await this.handle.datasync();
    this.stats.fsyncLatency.record((performance.now() - started) * 1e6);
    this.stats.fsyncs++;
  }

  /** `everysec`'s tick: fsync what has been written since the last one. */
  private async syncSoon(): Promise<void> {
    if (this.syncing || !this.healthy || this.closed || this.unsynced.length === 0) return;
    this.syncing = true;
    const upTo = this.writtenPosition;
    const handle = this.handle;
    try {
      await this.timedSync();
      // Only batches fully written before the fsync began are now certain.
      if (handle === this.handle) this.unsynced = this.unsynced.filter((batch) => batch.position + batch.buffer.length > upTo);
    } catch (error) {
      this.fail(error);
    } finally {
      this.syncing = false;
    }
  }

  /** Hands the replies of every waiter up to `durable` over. */
  private release(durable: number): void {
    this.durableBytes = durable;
    let kept = 0;
    for (let i = 0; i < this.waiters.length; i++) {
      if (this.waitPositions[i]! <= durable) {
        this.waiters[i]!.committed();
      } else {
        this.waitPositions[kept] = this.waitPositions[i]!;
        this.waiters[kept++] = this.waiters[i]!;
      }
    }
    this.waitPositions.length = kept;
    this.waiters.length = kept;
  }

  private fail(error: unknown): void {
    this.stats.errors++;
    if (this.healthy) {
      // Logged once per outage; the count goes on in persist_errors.
      this.log.error({ err: error, segment: this.segmentNumber }, 'persistence: writing the log failed; writes are refused until it works again');
    }
    this.healthy = false;
    this.stats.failing = true;
    const waiters = this.waiters.splice(0);
    this.waitPositions.length = 0;
    for (const waiter of waiters) waiter.failed();
    if (this.rotation) {
      this.rotation.reject(error);
      this.rotation = null;
    }
    this.retryTimer ??= setTimeout(() => void this.retry(), RETRY_MS);
  }

  /** Rewrites every batch not known durable, at its place, then fsyncs; healthy again if it all works. */
  private async retry(): Promise<void> {
    this.retryTimer = null;
    if (this.closed) return;
    try {
      for (const batch of this.unsynced) await this.writeAll(batch);
      await this.timedSync();
    } catch (error) {
      this.stats.errors++;
      this.log.debug({ err: error }, 'persistence: the log is still failing');
      this.retryTimer = setTimeout(() => void this.retry(), RETRY_MS);
      return;
    }
    this.unsynced = [];
    this.writtenPosition = this.filePosition;
    this.healthy = true;
    this.stats.failing = false;
    this.log.warn('persistence: the log is written again; writes are accepted');
    this.release(this.takenBytes);
    this.kick();
  }

  /** Rotation at a batch boundary: fsync and close this segment, open the next. */
  private async switchSegment(): Promise<void> {
    const rotation = this.rotation!;
    this.rotation = null;
    try {
      await this.timedSync();
      const next = await open(logPath(this.dir, this.segmentNumber + 1), 'w', FILE_MODE);
      await syncDirectory(this.dir);
      const ended = this.segmentNumber;
      await this.handle.close();
      this.handle = next;
      this.segmentNumber = ended + 1;
      this.filePosition = 0;
      this.writtenPosition = 0;
      this.unsynced = [];
      this.release(this.takenBytes);
      rotation.resolve(ended);
    } catch (error) {
      this.fail(error);
      rotation.reject(error);
    }
  }
}
