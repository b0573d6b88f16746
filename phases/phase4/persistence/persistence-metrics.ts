/**
 * Persistence on the /metrics page: the log's size, snapshots, errors and the fsync latency
 * histogram in Prometheus' text format, under `kvlab_persist_*` (memcached_exporter has no such
 * metrics to follow). The histogram uses the request histograms' fixed bounds (1 µs … 10 s), so
 * dashboards can put fsync latency beside request latency.
 * @module
 */
import { durationBuckets } from '../../phase3/metrics/duration-buckets.ts';
import { histogramLines } from '../../phase3/metrics/histogram-exposition.ts';
import { familyHeader, sampleLine, type MetricType } from '../../phase3/metrics/prometheus-text.ts';
import type { PersistenceStats } from './persistence-stats.ts';

/** The page's persistence families, each line ending in a newline. */
export function persistenceMetrics(stats: PersistenceStats): string {
  const lines: string[] = [];
  const one = (name: string, type: MetricType, help: string, value: number) => {
    lines.push(...familyHeader(name, type, help), sampleLine(name, [], value));
  };
  one('kvlab_persist_log_bytes', 'gauge', 'Bytes in the log since the last snapshot.', stats.logBytes);
  one('kvlab_persist_snapshot_bytes', 'gauge', 'Bytes of the newest snapshot.', stats.snapshotBytes);
  one('kvlab_persist_records_total', 'counter', 'Records appended to the log since start.', stats.records);
  one('kvlab_persist_errors_total', 'counter', 'Log writes, fsyncs and snapshots that failed.', stats.errors);
  one('kvlab_persist_writes_refused_total', 'counter', 'Writes refused because the log could not be written.', stats.refused);
  one('kvlab_persist_failing', 'gauge', 'Whether writes are being refused now (1) or not (0).', stats.failing ? 1 : 0);
  one('kvlab_persist_snapshots_total', 'counter', 'Snapshots written since start.', stats.snapshots);
  one('kvlab_persist_last_snapshot_timestamp_seconds', 'gauge', 'When the last snapshot was completed (0: none since start).', stats.lastSnapshotAt);
  one('kvlab_persist_last_snapshot_duration_seconds', 'gauge', 'How long the last snapshot took.', stats.lastSnapshotMs / 1000);
  // durationBuckets turns the histogram's nanoseconds into seconds at the page's fixed bounds.
  lines.push(...familyHeader('kvlab_persist_fsync_duration_seconds', 'histogram', 'Time an fdatasync of the log took.'));
  lines.push(...histogramLines('kvlab_persist_fsync_duration_seconds', [], durationBuckets(stats.fsyncLatency.snapshot())));
  return `${lines.join('\n')}\n`;
}
