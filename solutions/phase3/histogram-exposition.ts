/**
 * Reference answer to exercise 3.3 (histogram-exposition): the writer phase 3's /metrics page
 * runs, phases/phase3/metrics/histogram-exposition.ts, re-exported so the two can never drift.
 * Why it is written so:
 *
 * - One running total turns per-bucket counts into cumulative ones in a single pass; the same
 *   total, after the last extra entry, is both the `+Inf` bucket and `_count`, so they cannot disagree.
 * - `le` is appended after the series' own labels and goes through the same formatLabels, so its
 *   value is quoted like every other label (`le="+Inf"`, not a bare +Inf).
 * - Bounds and values go through formatValue: `0.0000025` and `+Inf` are what Prometheus parses,
 *   and the same bound must print the same text in every scrape, or it becomes a new series.
 * @module
 */
export * from '../../phases/phase3/metrics/histogram-exposition.ts';
