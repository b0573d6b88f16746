/**
 * The HDR histogram against hdr-histogram-js on the same samples (percentiles, count, max, mean
 * agree within the declared precision), its bucket arithmetic at every edge, the rare paths
 * (fold, huge values, NaN), merge and reset, and recording from several threads at once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import { startWorker } from '../../../../shared/runtime/spawn-worker.ts';
import { bucketIndex, bucketLowerBound } from '../bucket-index.ts';
import { BUCKET_COUNT, RELATIVE_PRECISION, UNIT_RANGE, VALUE_LIMIT } from '../histogram-geometry.ts';
import { bucketHighestValue, HistogramSnapshot } from '../histogram-snapshot.ts';
import { LatencyHistogram } from '../latency-histogram.ts';
import { RequestMetrics } from '../request-metrics.ts';
import type { RecordJob } from './record-worker.ts';

const T = { timeout: 30_000 };
/** 2^25 ns of pending sum ≈ 32 records of 1 ms between folds: the fold paths run thousands of times. */
const FOLD_AT_IN_TEST = 2 ** 25;

/** The reference: hdr-histogram-js at 2 significant digits over the same range. */
function reference(values: readonly number[]): hdr.Histogram {
  const histogram = hdr.build({ numberOfSignificantValueDigits: 2, lowestDiscernibleValue: 1, highestTrackableValue: VALUE_LIMIT - 1 });
  for (const value of values) histogram.recordValue(value);
  return histogram;
}

/** a and b agree within the declared precision (relative), or both are 0. */
function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= RELATIVE_PRECISION * Math.max(a, b);
}

/** Latencies spread over every power of two: log-uniform up to 2^36 ns, plus small exact ones. */
const latency = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.double({ min: 0, max: 36, noNaN: true }).map((exponent) => Math.min(Math.floor(2 ** exponent), VALUE_LIMIT - 1)),
);

describe('bucket index', () => {
  test('every bucket maps back to itself, and buckets tile the range without gaps', T, () => {
    for (let index = 0; index < BUCKET_COUNT; index++) {
      assert.equal(bucketIndex(bucketLowerBound(index)), index, `lower bound of ${index}`);
      assert.equal(bucketIndex(bucketHighestValue(index)), index, `highest value of ${index}`);
      if (index > 0) assert.equal(bucketLowerBound(index), bucketHighestValue(index - 1) + 1, `gap before ${index}`);
    }
    assert.equal(bucketHighestValue(BUCKET_COUNT - 1), VALUE_LIMIT - 1);
  });

  test('values below 256 are exact; every bucket is at most 1/128 of its lower bound wide', T, () => {
    for (let v = 0; v < UNIT_RANGE; v++) assert.equal(bucketIndex(v), v);
    for (let index = UNIT_RANGE; index < BUCKET_COUNT; index++) {
      const width = bucketHighestValue(index) + 1 - bucketLowerBound(index);
      assert.ok(width / bucketLowerBound(index) <= RELATIVE_PRECISION, `bucket ${index}`);
    }
  });

  test('a value falls between its bucket\'s bounds, on both sides of 2^32', T, () => {
    fc.assert(fc.property(latency, (value) => {
      const index = bucketIndex(value);
      return bucketLowerBound(index) <= value && value <= bucketHighestValue(index);
    }), { numRuns: 2000, seed: 7 });
    for (const value of [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 35 + 12345]) {
      const index = bucketIndex(value);
      assert.ok(bucketLowerBound(index) <= value && value <= bucketHighestValue(index), String(value));
    }
  });
});

describe('LatencyHistogram against hdr-histogram-js', () => {
  test('percentiles, count, max and mean agree within the declared precision on the same samples', T, () => {
    fc.assert(fc.property(fc.array(latency, { minLength: 1, maxLength: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
      const ours = new LatencyHistogram();
      for (const value of values) ours.record(value);
      const theirs = reference(values);
      for (const quantile of [q, 0.5, 0.9, 0.99, 0.999, 1]) {
        const a = ours.percentile(quantile);
        const b = theirs.getValueAtPercentile(quantile * 100);
        assert.ok(agrees(a, b), `p${quantile * 100}: ours ${a}, hdr-histogram-js ${b}, over ${values.length} values`);
      }
      assert.equal(ours.count(), theirs.totalCount);
      assert.ok(agrees(ours.max(), theirs.maxValue), `max: ours ${ours.max()}, hdr ${theirs.maxValue}`);
      assert.ok(agrees(ours.sum() / values.length, theirs.mean), `mean: ours ${ours.sum() / values.length}, hdr ${theirs.mean}`);
      assert.equal(ours.sum(), values.reduce((a, b) => a + b, 0), 'the sum is exact');
    }), { numRuns: 150, seed: 42 });
  });

  test('an empty histogram reads as zeros', T, () => {
    const empty = new LatencyHistogram();
    assert.deepEqual([empty.count(), empty.sum(), empty.max(), empty.percentile(0.99)], [0, 0, 0, 0]);
  });
});

describe('LatencyHistogram edges', () => {
  test('NaN and negatives count as 0, fractions are dropped, a minute-long value lands in the last bucket', T, () => {
    const histogram = new LatencyHistogram();
    for (const value of [NaN, -5, 7.9, 2 ** 40]) histogram.record(value);
    const snapshot = histogram.snapshot();
    assert.equal(snapshot.count, 4);
    assert.equal(snapshot.counts[0], 2);
    assert.equal(snapshot.counts[7], 1);
    assert.equal(snapshot.maxIndex, BUCKET_COUNT - 1);
    assert.equal(snapshot.sum, 7 + 2 ** 40, 'the sum keeps the true size of the long one');
  });

  for (const singleWriter of [false, true]) {
    test(`folding keeps counts and sums exact (fold threshold lowered to reach the path)${singleWriter ? ', with plain adds of a single writer' : ''}`, T, () => {
      const histogram = new LatencyHistogram(undefined, 0, { foldAt: 3, singleWriter });
      for (let i = 0; i < 1000; i++) histogram.record(100 + (i % 5));
      assert.equal(histogram.count(), 1000);
      assert.equal(histogram.sum(), 1000 * 102);
      assert.equal(histogram.snapshot().counts[102], 200);
      // Another view of the same memory (as another thread would read it) sees the same figures.
      const reader = new LatencyHistogram(histogram.buffer, 0);
      assert.deepEqual([reader.count(), reader.sum()], [1000, 1000 * 102]);
    });
  }

  test('values of 16.7 ms and more take the locked path and still add up', T, () => {
    const histogram = new LatencyHistogram();
    histogram.record(2 ** 24);
    histogram.record(3e9);
    histogram.record(10);
    assert.equal(histogram.sum(), 2 ** 24 + 3e9 + 10);
    assert.ok(agrees(histogram.max(), 3e9));
  });

  test('merge adds another snapshot in; reset forgets everything', T, () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 1; i <= 100; i++) a.record(i * 1000);
    for (let i = 1; i <= 100; i++) b.record(i * 1_000_000);
    a.merge(b.snapshot());
    assert.equal(a.count(), 200);
    assert.equal(a.sum(), 5050 * 1000 + 5050 * 1_000_000);
    assert.ok(agrees(a.max(), 100_000_000));
    const merged = new HistogramSnapshot().merge(a.snapshot()).merge(b.snapshot());
    assert.equal(merged.count, 300);
    a.reset();
    assert.deepEqual([a.count(), a.sum(), a.max()], [0, 0, 0]);
  });
});

describe('recording from worker threads', () => {
  test('three workers and this thread record at once: every count and sum is exact here, each worker in its own request-metrics shard', { timeout: 60_000 }, async () => {
    // Folds every few dozen records here (values near 1 ms), so the workers contend for the lock.
    const histogram = new LatencyHistogram(undefined, 0, { foldAt: FOLD_AT_IN_TEST });
    const metrics = RequestMetrics.create(4);
    const records = 20_000;
    const workers = await Promise.all([1, 2, 3].map((id) => {
      const job: RecordJob = { histogram: histogram.buffer, metrics: metrics.buffer, foldAt: FOLD_AT_IN_TEST, id, records };
      return startWorker(new URL('./record-worker.ts', import.meta.url), { workerData: job });
    }));
    try {
      const done = workers.map((worker) => new Promise((resolve) => worker.once('message', resolve)));
      for (const worker of workers) worker.postMessage('go');
      for (let i = 0; i < records; i++) histogram.record(5);
      await Promise.all(done);
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
    // Each worker records ((i % 1000) + 1) · 1000 + id: 20 rounds of 1 … 1000 µs.
    const perWorker = (id: number) => 20 * (1000 * 1001 / 2) * 1000 + records * id;
    assert.equal(histogram.count(), 4 * records);
    assert.equal(histogram.sum(), records * 5 + perWorker(1) + perWorker(2) + perWorker(3));
    const [get] = metrics.snapshot();
    assert.equal(get?.command, 'get');
    assert.deepEqual(get?.outcomes, { ok: 3 * records * 0.9, error: 3 * records * 0.1, fault: 0 });
    assert.equal(get?.latency.count, 3 * records);
  });
});
