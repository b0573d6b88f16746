/**
 * One histogram series in Prometheus' text format: a `_bucket` line per upper bound `le`, each
 * counting every observation at or below it (cumulative), then `le="+Inf"` (all of them), `_sum`
 * and `_count`. Prometheus computes quantiles from these with histogram_quantile().
 * @module
 */
import { formatLabels, formatValue, type BucketedHistogram, type Label } from './prometheus-text.ts';

export type { BucketedHistogram } from './prometheus-text.ts';

/**
 * The sample lines of one series: `<name>_bucket{<labels>,le="<bound>"} <cumulative count>` for
 * each bound, `le="+Inf"` with the total, then `<name>_sum{<labels>}` and `<name>_count{<labels>}`.
 * `le` comes after the series' own labels.
 */
export function histogramLines(name: string, labels: readonly Label[], histogram: BucketedHistogram): string[] {
  const lines: string[] = [];
  let cumulative = 0;
  for (let i = 0; i < histogram.bounds.length; i++) {
    cumulative += histogram.counts[i] ?? 0;
    lines.push(`${name}_bucket${formatLabels([...labels, ['le', formatValue(histogram.bounds[i]!)]])} ${formatValue(cumulative)}`);
  }
  cumulative += histogram.counts[histogram.bounds.length] ?? 0;
  const own = formatLabels(labels);
  lines.push(`${name}_bucket${formatLabels([...labels, ['le', '+Inf']])} ${formatValue(cumulative)}`);
  lines.push(`${name}_sum${own} ${formatValue(histogram.sum)}`);
  lines.push(`${name}_count${own} ${formatValue(cumulative)}`);
  return lines;
}
