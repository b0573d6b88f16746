/**
 * The /metrics page from a plain snapshot: memcached_exporter's names and types, commands_total
 * as the exporter derives it, label escaping, one HELP/TYPE per family, histograms cumulative with
 * +Inf, _sum and _count — and the whole page passes `promtool check metrics`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Outcome, Protocol } from '../../../../shared/protocol/request-observer.ts';
import { DURATION_BOUNDS_SECONDS, durationBuckets } from '../duration-buckets.ts';
import { histogramLines } from '../histogram-exposition.ts';
import { HistogramSnapshot } from '../histogram-snapshot.ts';
import { LatencyHistogram } from '../latency-histogram.ts';
import { renderMetrics, type MetricsSnapshot } from '../prometheus-exposition.ts';
import { escapeLabelValue, familyHeader, formatLabels, formatValue } from '../prometheus-text.ts';
import { RequestMetrics } from '../request-metrics.ts';
import { prometheusMissing, promtoolCheck } from './promtool.ts';

const T = { timeout: 20_000 };

/** A snapshot with every stat the phases report, and some requests. */
function sampleSnapshot(): MetricsSnapshot {
  const metrics = RequestMetrics.create();
  for (let i = 0; i < 100; i++) metrics.observe('get', Protocol.Text, Outcome.Ok, 1500 + i * 10);
  metrics.observe('set', Protocol.Binary, Outcome.Error, 40_000);
  metrics.observe('set', Protocol.Binary, Outcome.Fault, 3e9);
  return {
    stats: [
      ['pid', 42], ['uptime', 12], ['time', 1_700_000_000], ['version', '1.6.18-kvlab "phase3"\n'], ['pointer_size', 64],
      ['rusage_user', '0.250000'], ['rusage_system', '0.125000'], ['max_connections', 1024], ['curr_connections', 3],
      ['total_connections', 9], ['rejected_connections', 1], ['bytes_read', 1000], ['bytes_written', 2000], ['threads', 1],
      ['cmd_get', 7], ['cmd_set', 10], ['cmd_flush', 1], ['cmd_touch', 0], ['get_hits', 5], ['get_misses', 2],
      ['delete_misses', 0], ['delete_hits', 1], ['incr_misses', 0], ['incr_hits', 2], ['decr_misses', 0], ['decr_hits', 0],
      ['cas_misses', 1], ['cas_hits', 2], ['cas_badval', 3], ['touch_hits', 0], ['touch_misses', 0], ['limit_maxbytes', 67108864],
      ['bytes', 512], ['curr_items', 4], ['total_items', 11], ['expired_unfetched', 0], ['evictions', 0], ['reclaimed', 0],
    ],
    settings: [['maxconns', 1024]],
    requests: metrics.snapshot(),
  };
}

/** The page's sample lines (comments dropped). */
function samples(page: string): string[] {
  return page.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('Prometheus text pieces', () => {
  test('values, label escaping and HELP/TYPE lines', T, () => {
    assert.deepEqual([formatValue(3), formatValue(0.25), formatValue(Infinity), formatValue(-Infinity), formatValue(NaN)], ['3', '0.25', '+Inf', '-Inf', 'NaN']);
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(formatLabels([]), '');
    assert.equal(formatLabels([['a', '1'], ['b', 'x"y']]), '{a="1",b="x\\"y"}');
    assert.deepEqual(familyHeader('m', 'gauge', 'a\\b\nc'), ['# HELP m a\\\\b\\nc', '# TYPE m gauge']);
  });

  test('a histogram series: cumulative buckets, +Inf with the total, _sum and _count', T, () => {
    const lines = histogramLines('h', [['command', 'get']], { bounds: [0.5, 1], counts: [2, 0, 3], sum: 4.25 });
    assert.deepEqual(lines, [
      'h_bucket{command="get",le="0.5"} 2', 'h_bucket{command="get",le="1"} 2', 'h_bucket{command="get",le="+Inf"} 5',
      'h_sum{command="get"} 4.25', 'h_count{command="get"} 5',
    ]);
  });

  test('HDR buckets count under the first le their whole range fits below', T, () => {
    const histogram = new LatencyHistogram();
    for (const ns of [999, 1000, 1001, 2400, 20e9]) histogram.record(ns);
    const bucketed = durationBuckets(histogram.snapshot());
    assert.equal(bucketed.bounds, DURATION_BOUNDS_SECONDS);
    // 999 is in the bucket [996, 999], under 1 µs; 1000 and 1001 share [1000, 1003], which reaches
    // past 1 µs, so both count under 2.5 µs with 2400 (its bucket [2400, 2415]) — off by < 0.78 %.
    assert.deepEqual(bucketed.counts.slice(0, 3), [1, 3, 0]);
    assert.equal(bucketed.counts[DURATION_BOUNDS_SECONDS.length], 1, '20 s is above the last bound');
    assert.equal(bucketed.sum, (999 + 1000 + 1001 + 2400 + 20e9) / 1e9);
    assert.deepEqual(durationBuckets(new HistogramSnapshot()).counts.every((count) => count === 0), true);
  });
});

describe('the /metrics page', () => {
  test("memcached_exporter's names, types and values", T, () => {
    const page = renderMetrics(sampleSnapshot());
    const lines = samples(page);
    for (const expected of [
      'memcached_up 1', 'memcached_uptime_seconds 12', 'memcached_time_seconds 1700000000',
      'memcached_version{version="1.6.18-kvlab \\"phase3\\"\\n"} 1',
      'memcached_process_user_cpu_seconds_total 0.25', 'memcached_process_system_cpu_seconds_total 0.125',
      'memcached_read_bytes_total 1000', 'memcached_written_bytes_total 2000', 'memcached_current_connections 3',
      'memcached_connections_total 9', 'memcached_connections_rejected_total 1', 'memcached_current_bytes 512',
      'memcached_limit_bytes 67108864', 'memcached_current_items 4', 'memcached_items_total 11',
      'memcached_items_evicted_total 0', 'memcached_items_reclaimed_total 0', 'memcached_max_connections 1024',
      'memcached_commands_total{command="get",status="hit"} 5', 'memcached_commands_total{command="get",status="miss"} 2',
      'memcached_commands_total{command="cas",status="badval"} 3', 'memcached_commands_total{command="flush",status="hit"} 1',
      // cmd_set 10 less the 6 cas requests memcached also counts there.
      'memcached_commands_total{command="set",status="hit"} 4',
      'kvlab_requests_total{command="get",protocol="text",outcome="ok"} 100',
      'kvlab_requests_total{command="set",protocol="binary",outcome="fault"} 1',
      'kvlab_request_duration_seconds_bucket{command="get",protocol="text",le="+Inf"} 100',
      'kvlab_request_duration_seconds_count{command="set",protocol="binary"} 2',
    ]) assert.ok(lines.includes(expected), `missing: ${expected}\n--- page ---\n${page}`);
    assert.match(page, /^# TYPE memcached_commands_total counter$/m);
    assert.match(page, /^# TYPE kvlab_request_duration_seconds histogram$/m);
    assert.match(page, /^# TYPE memcached_uptime_seconds gauge$/m);
    assert.ok(page.endsWith('\n'));
  });

  test('one HELP and one TYPE per family, and each family\'s samples together', T, () => {
    const page = renderMetrics(sampleSnapshot());
    const types = page.split('\n').filter((line) => line.startsWith('# TYPE ')).map((line) => line.split(' ')[2]!);
    assert.equal(new Set(types).size, types.length, 'a family is declared twice');
    let family = '';
    const finished = new Set<string>();
    for (const line of page.split('\n')) {
      if (line.startsWith('# TYPE ')) {
        finished.add(family);
        family = line.split(' ')[2]!;
        continue;
      }
      if (line === '' || line.startsWith('#')) continue;
      const name = line.split(/[{ ]/, 1)[0]!.replace(/_(bucket|sum|count)$/, (suffix) => (family.endsWith(suffix) ? suffix : ''));
      assert.equal(name, family, `${line} is outside its family`);
      assert.ok(!finished.has(name));
    }
  });

  test('the histogram buckets only grow, and end at the count', T, () => {
    const lines = samples(renderMetrics(sampleSnapshot())).filter((line) => line.startsWith('kvlab_request_duration_seconds_bucket{command="get"'));
    const values = lines.map((line) => Number(line.split(' ')[1]));
    assert.equal(values.length, DURATION_BOUNDS_SECONDS.length + 1);
    for (let i = 1; i < values.length; i++) assert.ok(values[i]! >= values[i - 1]!, lines[i]);
    assert.equal(values.at(-1), 100);
  });

  test('stats a server lacks are left out; a server that is down says so', T, () => {
    const page = renderMetrics({ up: false, stats: [] });
    assert.deepEqual(samples(page), ['memcached_up 0']);
  });

  test('promtool check metrics accepts the page', { ...T, skip: prometheusMissing() }, async () => {
    const page = renderMetrics(sampleSnapshot());
    const { code, output } = await promtoolCheck(page);
    assert.equal(code, 0, `promtool check metrics said:\n${output}\n--- page ---\n${page}`);
  });

  test('promtool can fail: a counter without _total is refused (proof the check is real)', { ...T, skip: prometheusMissing() }, async () => {
    const { code } = await promtoolCheck('# HELP bad x\n# TYPE bad counter\nbad 1\n');
    assert.notEqual(code, 0);
  });
});
