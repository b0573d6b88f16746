/**
 * The edge's counters reach /metrics: the page renders each of them, under kvlab_ names, from the
 * `stats` lines a guarded server reports — and leaves them out when the server has no edge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMetrics } from '../../../phase3/metrics/prometheus-exposition.ts';
import { GuardCounters } from '../../../../shared/runtime/guard-counters.ts';

test('the guard counters are Prometheus counters on the metrics page', () => {
  const counters = new GuardCounters();
  counters.add('rate_limit_delays', 3);
  counters.refused();
  counters.refused();
  counters.add('partial_request_kicks', 200);
  counters.add('rejected_address_connections');
  const page = renderMetrics({ up: true, stats: [['idle_kicks', 4], ...counters.stats()] });
  for (const [metric, value] of [
    ['kvlab_idle_kicks_total', 4], ['kvlab_rate_limit_delays_total', 3], ['kvlab_rate_limit_rejects_total', 2],
    ['kvlab_partial_request_kicks_total', 200], ['kvlab_address_connections_rejected_total', 1],
  ] as const) {
    assert.match(page, new RegExp(`^# TYPE ${metric} counter$`, 'm'));
    assert.match(page, new RegExp(`^${metric} ${value}$`, 'm'));
  }
  assert.doesNotMatch(renderMetrics({ up: true, stats: [['curr_connections', 1]] }), /kvlab_rate_limit/);
});

test('stats reset counts every guard counter from zero again', () => {
  const counters = new GuardCounters();
  counters.add('partial_request_kicks', 5);
  counters.refused();
  const other = new GuardCounters(counters.buffer);
  other.reset();
  counters.add('partial_request_kicks');
  assert.deepEqual(counters.stats(), [['rate_limit_delays', 0], ['rate_limit_rejects', 0], ['partial_request_kicks', 1], ['rejected_address_connections', 0]]);
});
