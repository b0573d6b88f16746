/**
 * The small pieces of Prometheus' text exposition format (version 0.0.4) that every metric family
 * uses: numbers as Prometheus writes them, label sets with their escaping, and the HELP and TYPE
 * lines that open a family. Kept apart so the histogram writer and the whole page share them.
 * @module
 */

/** A label: name and value (the value is escaped when written). */
export type Label = readonly [name: string, value: string];

/** A histogram already counted at fixed upper bounds. */
export interface BucketedHistogram {
  /** Upper bounds, ascending, in the metric's unit (seconds for a duration). */
  readonly bounds: readonly number[];
  /**
   * Observations per bucket, *not* cumulative: `counts[i]` for (bounds[i − 1], bounds[i]], and
   * one more, `counts[bounds.length]`, for those above the last bound.
   */
  readonly counts: readonly number[];
  /** Sum of the observations, in the metric's unit. */
  readonly sum: number;
}

/** The metric types this server exposes. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** The Content-Type of the text format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A sample value: integers as digits, fractions as JavaScript prints them, and the three specials. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** A label value with `\`, `"` and newline escaped, as the format requires. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `{a="1",b="2"}`, or nothing for no labels. */
export function formatLabels(labels: readonly Label[]): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** One sample line: `name{labels} value`. */
export function sampleLine(name: string, labels: readonly Label[], value: number): string {
  return `${name}${formatLabels(labels)} ${formatValue(value)}`;
}

/** The two lines that open a family; HELP text escapes `\` and newline (quotes stay). */
export function familyHeader(name: string, type: MetricType, help: string): string[] {
  return [`# HELP ${name} ${help.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'))}`, `# TYPE ${name} ${type}`];
}
