/**
 * Checks for exercise 3.2 (bucket-index): exact buckets below 256, the first buckets of each
 * power of two, the round trip, the precision every bucket promises, and values past 2^32.
 */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, expectTrue, forAll } from '../../shared/course/checks.ts';
import { BUCKET_COUNT, RELATIVE_PRECISION } from '../../phases/phase3/metrics/histogram-geometry.ts';

const { bucketIndex, bucketLowerBound } = await loadExercise<typeof import('./bucket-index.ts')>(import.meta.url);

const T = { timeout: 10_000 };

describe('3.2 bucket-index', () => {
  test('below 256 every nanosecond has its own bucket', T, () => {
    for (const value of [0, 1, 127, 128, 200, 255]) expectSame(bucketIndex(value), value, `bucketIndex(${value})`);
  });

  test('above, 128 buckets per power of two', T, () => {
    expectSame(bucketIndex(256), 256, 'bucketIndex(256): the first bucket of [256, 512), 2 ns wide');
    expectSame(bucketIndex(257), 256, 'bucketIndex(257): same bucket as 256');
    expectSame(bucketIndex(258), 257, 'bucketIndex(258)');
    expectSame(bucketIndex(511), 383, 'bucketIndex(511): the last bucket of [256, 512)');
    expectSame(bucketIndex(512), 384, 'bucketIndex(512): the first of [512, 1024), 4 ns wide');
    expectSame(bucketIndex(1_000_000), 1780, 'bucketIndex(1,000,000) (1 ms: block 12, sub-bucket 244)');
  });

  test('bucketLowerBound undoes bucketIndex', T, () => {
    expectSame(bucketLowerBound(255), 255, 'bucketLowerBound(255)');
    expectSame(bucketLowerBound(256), 256, 'bucketLowerBound(256)');
    expectSame(bucketLowerBound(383), 510, 'bucketLowerBound(383)');
    expectSame(bucketLowerBound(384), 512, 'bucketLowerBound(384)');
    for (let index = 0; index < BUCKET_COUNT; index += 37) {
      expectSame(bucketIndex(bucketLowerBound(index)), index, `bucketIndex(bucketLowerBound(${index}))`);
    }
  });

  test('any value lies in its bucket, and the bucket is at most 1/128 of it wide', T, () => {
    forAll(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (value) => {
      const index = bucketIndex(value);
      const low = bucketLowerBound(index);
      const next = bucketLowerBound(index + 1);
      expectTrue(low <= value && value < next, `bucketIndex(${value}) = ${index}`, `a bucket [low, next) holding ${value}`, `[${low}, ${next})`);
      expectTrue(value < 256 || (next - low) / low <= RELATIVE_PRECISION, `bucket ${index}`, 'width ≤ 1/128 of its lower bound', `[${low}, ${next})`);
    }), { numRuns: 500, seed: 42 });
  });

  test('values of 2^32 ns (4.3 s) and more', T, () => {
    expectSame(bucketIndex(2 ** 32), 3328, 'bucketIndex(2^32)');
    expectSame(bucketIndex(2 ** 36 - 1), BUCKET_COUNT - 1, 'bucketIndex(2^36 − 1): the last bucket');
    expectSame(bucketLowerBound(3328), 2 ** 32, 'bucketLowerBound(3328)');
    expectSame(bucketLowerBound(BUCKET_COUNT - 1), 255 * 2 ** 28, 'bucketLowerBound(3839)');
  });
});
