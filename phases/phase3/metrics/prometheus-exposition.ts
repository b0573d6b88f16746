/**
 * The `/metrics` page: the server's `stats` under memcached_exporter's metric names (so dashboards
 * and alerts written for memcached work unchanged), then KV Lab's own request histograms and
 * outcome counts. Input is a plain snapshot, so the page is tested without a server. A stat the
 * snapshot lacks is left out, as the exporter leaves out what a memcached does not report.
 *
 * One deliberate difference: the exporter types `memcached_uptime_seconds` as a counter; here it is
 * a gauge, because a counter without `_total` fails `promtool check metrics`.
 * @module
 */
import type { Stat } from '../../../shared/protocol/server-info.ts';
import { durationBuckets } from './duration-buckets.ts';
import { histogramLines } from './histogram-exposition.ts';
import { familyHeader, sampleLine, type Label, type MetricType } from './prometheus-text.ts';
import type { RequestSeries } from './request-metrics.ts';

/** What one scrape shows. */
export interface MetricsSnapshot {
  /** `memcached_up`: whether the server is serving (default true). */
  readonly up?: boolean;
  /** General `stats`, memcached's names: the server's (ServerInfo.stats()) and the store's. */
  readonly stats: readonly Stat[];
  /** `stats settings` (`maxconns` gives memcached_max_connections, as the exporter reads it). */
  readonly settings?: readonly Stat[];
  /** From RequestMetrics.snapshot(). */
  readonly requests?: readonly RequestSeries[];
}

/** A metric that is one stat, as is. */
interface StatMetric {
  readonly stat: string;
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
}

/** memcached_exporter's one-stat metrics, in the order the page lists them. */
const STAT_METRICS: readonly StatMetric[] = [
  { stat: 'uptime', name: 'memcached_uptime_seconds', type: 'gauge', help: 'Seconds since the server started.' },
  { stat: 'time', name: 'memcached_time_seconds', type: 'gauge', help: 'The server\'s current Unix time.' },
  { stat: 'rusage_user', name: 'memcached_process_user_cpu_seconds_total', type: 'counter', help: 'User CPU time of the server process, seconds.' },
  { stat: 'rusage_system', name: 'memcached_process_system_cpu_seconds_total', type: 'counter', help: 'System CPU time of the server process, seconds.' },
  { stat: 'bytes_read', name: 'memcached_read_bytes_total', type: 'counter', help: 'Bytes read from clients.' },
  { stat: 'bytes_written', name: 'memcached_written_bytes_total', type: 'counter', help: 'Bytes written to clients.' },
  { stat: 'curr_connections', name: 'memcached_current_connections', type: 'gauge', help: 'Open client connections.' },
  { stat: 'total_connections', name: 'memcached_connections_total', type: 'counter', help: 'Client connections accepted since the server started.' },
  { stat: 'rejected_connections', name: 'memcached_connections_rejected_total', type: 'counter', help: 'Connections refused at the connection limit.' },
  { stat: 'conn_yields', name: 'memcached_connections_yielded_total', type: 'counter', help: 'Times a connection yielded after its per-turn request limit.' },
  { stat: 'listen_disabled_num', name: 'memcached_connections_listener_disabled_total', type: 'counter', help: 'Times the listener stopped accepting at the connection limit.' },
  { stat: 'accepting_conns', name: 'memcached_accepting_connections', type: 'gauge', help: 'Whether the server accepts new connections (1) or not (0).' },
  { stat: 'bytes', name: 'memcached_current_bytes', type: 'gauge', help: 'Bytes used by stored items.' },
  { stat: 'limit_maxbytes', name: 'memcached_limit_bytes', type: 'gauge', help: 'Bytes the store may use.' },
  { stat: 'curr_items', name: 'memcached_current_items', type: 'gauge', help: 'Items stored now.' },
  { stat: 'total_items', name: 'memcached_items_total', type: 'counter', help: 'Items stored since the server started.' },
  { stat: 'evictions', name: 'memcached_items_evicted_total', type: 'counter', help: 'Live items removed to make room for new ones.' },
  { stat: 'reclaimed', name: 'memcached_items_reclaimed_total', type: 'counter', help: 'Items stored in the memory of an expired one.' },
  { stat: 'store_too_large', name: 'memcached_item_too_large_total', type: 'counter', help: 'Stores refused as larger than the item size limit.' },
  { stat: 'store_no_memory', name: 'memcached_item_no_memory_total', type: 'counter', help: 'Stores refused for lack of memory.' },
  { stat: 'total_malloced', name: 'memcached_malloced_bytes', type: 'gauge', help: 'Bytes of memory allocated for items.' },
  // Phase 4's edge (present only when it is on): memcached's idle_kicks, and the edge's own counters.
  { stat: 'idle_kicks', name: 'kvlab_idle_kicks_total', type: 'counter', help: 'Connections closed for sending nothing within the idle timeout.' },
  { stat: 'rate_limit_delays', name: 'kvlab_rate_limit_delays_total', type: 'counter', help: 'Times a client was not read until its rate-limit bucket refilled.' },
  { stat: 'rate_limit_rejects', name: 'kvlab_rate_limit_rejects_total', type: 'counter', help: 'Requests refused for the client\'s rate (SERVER_ERROR slow down).' },
  { stat: 'partial_request_kicks', name: 'kvlab_partial_request_kicks_total', type: 'counter', help: 'Connections closed for holding part of a request past the deadline.' },
  { stat: 'rejected_address_connections', name: 'kvlab_address_connections_rejected_total', type: 'counter', help: 'Connections refused at the per-address limit.' },
];

/** The exporter's `commands_total` samples: command and status, from which stat. */
const COMMAND_STATS: readonly (readonly [command: string, status: string, stat: string])[] = [
  ['get', 'hit', 'get_hits'], ['get', 'miss', 'get_misses'],
  ['delete', 'hit', 'delete_hits'], ['delete', 'miss', 'delete_misses'],
  ['incr', 'hit', 'incr_hits'], ['incr', 'miss', 'incr_misses'],
  ['decr', 'hit', 'decr_hits'], ['decr', 'miss', 'decr_misses'],
  ['cas', 'hit', 'cas_hits'], ['cas', 'miss', 'cas_misses'], ['cas', 'badval', 'cas_badval'],
  ['touch', 'hit', 'touch_hits'], ['touch', 'miss', 'touch_misses'],
  ['flush', 'hit', 'cmd_flush'],
];

/** The histogram family's name: Prometheus' base unit for time is the second. */
export const DURATION_METRIC = 'kvlab_request_duration_seconds';
/** The outcome counter's name. */
export const REQUESTS_METRIC = 'kvlab_requests_total';

/** A stat as a number: rusage comes as "seconds.micros" text, the rest as numbers or digits. */
function statNumber(stats: ReadonlyMap<string, string | number>, name: string): number | undefined {
  const value = stats.get(name);
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** The whole page, ending in a newline as the format requires. */
export function renderMetrics(snapshot: MetricsSnapshot): string {
  const stats = new Map<string, string | number>(snapshot.stats.map(([name, value]) => [name, value]));
  const lines: string[] = [];
  const single = (name: string, type: MetricType, help: string, value: number, labels: readonly Label[] = []) => {
    lines.push(...familyHeader(name, type, help), sampleLine(name, labels, value));
  };

  single('memcached_up', 'gauge', 'Whether the server is serving (1) or not (0).', snapshot.up === false ? 0 : 1);
  const version = stats.get('version');
  if (version !== undefined) single('memcached_version', 'gauge', 'The server\'s version, as a label.', 1, [['version', String(version)]]);
  for (const metric of STAT_METRICS) {
    const value = statNumber(stats, metric.stat);
    if (value !== undefined) single(metric.name, metric.type, metric.help, value);
  }
  const settings = new Map<string, string | number>((snapshot.settings ?? []).map(([name, value]) => [name, value]));
  const maxConnections = statNumber(settings, 'maxconns') ?? statNumber(stats, 'max_connections');
  if (maxConnections !== undefined) single('memcached_max_connections', 'gauge', 'The connection limit.', maxConnections);

  const commands: string[] = [];
  for (const [command, status, stat] of COMMAND_STATS) {
    const value = statNumber(stats, stat);
    if (value !== undefined) commands.push(sampleLine('memcached_commands_total', [['command', command], ['status', status]], value));
  }
  // As the exporter does: memcached counts every cas in cmd_set too, so sets are cmd_set less cas.
  const cmdSet = statNumber(stats, 'cmd_set');
  if (cmdSet !== undefined) {
    const cas = ['cas_hits', 'cas_misses', 'cas_badval'].reduce((total, stat) => total + (statNumber(stats, stat) ?? 0), 0);
    commands.push(sampleLine('memcached_commands_total', [['command', 'set'], ['status', 'hit']], Math.max(0, cmdSet - cas)));
  }
  if (commands.length > 0) lines.push(...familyHeader('memcached_commands_total', 'counter', 'Requests by command and status.'), ...commands);

  const requests = snapshot.requests ?? [];
  if (requests.length > 0) {
    lines.push(...familyHeader(REQUESTS_METRIC, 'counter', 'Requests executed, by command family, protocol and outcome.'));
    for (const series of requests) {
      for (const [outcome, count] of Object.entries(series.outcomes)) {
        lines.push(sampleLine(REQUESTS_METRIC, [['command', series.command], ['protocol', series.protocol], ['outcome', outcome]], count));
      }
    }
    lines.push(...familyHeader(DURATION_METRIC, 'histogram', 'Time spent executing requests (parsing and writing excluded), seconds.'));
    for (const series of requests) {
      lines.push(...histogramLines(DURATION_METRIC, [['command', series.command], ['protocol', series.protocol]], durationBuckets(series.latency)));
    }
  }
  return `${lines.join('\n')}\n`;
}
