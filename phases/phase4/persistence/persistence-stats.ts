/**
 * What persistence reports in `stats` and on /metrics: the log's size, snapshots (when, how long),
 * fsync latency (phase 3's HDR histogram, so its percentiles read like the request latencies) and
 * the errors that turned writes away. One object, written by the log writer and the snapshotter on
 * the loop thread, read by `stats`.
 * @module
 */
import { LatencyHistogram } from '../../phase3/metrics/latency-histogram.ts';
import type { Stat } from '../../../shared/protocol/server-info.ts';

/** Nanoseconds per microsecond, for `stats` (memcached reports times in µs or s). */
const NS_PER_US = 1000;

/** Persistence's counters. */
export class PersistenceStats {
  /** Bytes in the log files written since the last snapshot. */
  logBytes = 0;
  /** Bytes of the newest snapshot file. */
  snapshotBytes = 0;
  /** Records appended since start. */
  records = 0;
  /** fsync (fdatasync) calls completed. */
  fsyncs = 0;
  readonly fsyncLatency = new LatencyHistogram();
  /** Write or fsync failures, and mutations refused while the log could not be written. */
  errors = 0;
  refused = 0;
  /** Seconds since the epoch of the last completed snapshot (0: none yet), and how long it took. */
  lastSnapshotAt = 0;
  lastSnapshotMs = 0;
  snapshots = 0;
  snapshotInProgress = false;
  /** What the start restored. */
  restoredItems = 0;
  restoredBytes = 0;
  restoreMs = 0;
  /** Whether writes are being refused now. */
  failing = false;

  /** `stats` lines, in the order they are listed. */
  lines(policy: string): Stat[] {
    const fsync = this.fsyncLatency.snapshot();
    return [
      ['persist_fsync_policy', policy],
      ['persist_log_bytes', this.logBytes],
      ['persist_snapshot_bytes', this.snapshotBytes],
      ['persist_records', this.records],
      ['persist_fsyncs', this.fsyncs],
      ['persist_fsync_p50_us', Math.round(fsync.percentile(0.5) / NS_PER_US)],
      ['persist_fsync_p99_us', Math.round(fsync.percentile(0.99) / NS_PER_US)],
      ['persist_fsync_max_us', Math.round(fsync.max / NS_PER_US)],
      ['persist_errors', this.errors],
      ['persist_writes_refused', this.refused],
      ['persist_failing', this.failing ? 1 : 0],
      ['persist_snapshots', this.snapshots],
      ['persist_snapshot_in_progress', this.snapshotInProgress ? 1 : 0],
      ['persist_last_snapshot_time', this.lastSnapshotAt],
      ['persist_last_snapshot_ms', this.lastSnapshotMs],
      ['persist_restored_items', this.restoredItems],
      ['persist_restored_bytes', this.restoredBytes],
      ['persist_restore_ms', this.restoreMs],
    ];
  }
}
