/**
 * Exercise 3.3 — one histogram series in Prometheus' text format: cumulative `_bucket` lines per
 * upper bound `le`, the `+Inf` bucket, `_sum` and `_count`. Stands in for
 * phases/phase3/metrics/histogram-exposition.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

// Given: the format's small pieces (formatLabels escapes and wraps label sets, formatValue writes
// numbers as Prometheus does) and the input type, shared with the real module. Import the
// functions from there when your code needs them.
import type { BucketedHistogram, Label } from '../../phases/phase3/metrics/prometheus-text.ts';

export type { BucketedHistogram } from '../../phases/phase3/metrics/prometheus-text.ts';

/**
 * TODO: for each bound, `<name>_bucket{<labels>,le="<bound>"} <count>` where the count is
 * *cumulative* — every observation at or below that bound (histogram.counts holds per-bucket
 * counts); then `le="+Inf"` with the total (counts has one extra entry, for observations above
 * the last bound), `<name>_sum{<labels>} <sum>` and `<name>_count{<labels>} <total>`. With no
 * labels, `_sum` and `_count` have no braces. Why cumulative: Prometheus adds histograms of many
 * servers bucket by bucket and computes quantiles with histogram_quantile(), which needs counts
 * "at or below le"; `+Inf` and `_count` must agree, or the quantile is wrong.
 */
export function histogramLines(name: string, labels: readonly Label[], histogram: BucketedHistogram): string[] {
  return todo('histogramLines', name, labels, histogram);
}
