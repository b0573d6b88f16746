/**
 * Checks for exercise 4.4 (token-bucket), on a fake clock: a burst then the rate, the refill
 * capped at the burst, a clock that goes back, waitMs for one token and for several, a debt
 * repaid by waiting — and, over random traffic, never more than burst + rate × elapsed and never
 * a refusal for a client at its rate.
 */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, expectTrue, forAll } from '../../shared/course/checks.ts';

const { TokenBucket } = await loadExercise<typeof import('./token-bucket.ts')>(import.meta.url);

const T = { timeout: 10_000 };

describe('4.4 token-bucket', () => {
  test('a full bucket lets the burst through, then one request per 1/rate seconds', T, () => {
    const bucket = new TokenBucket(10, 3, 1000);
    expectSame([1, 2, 3, 4].map(() => bucket.take(1000)), [true, true, true, false], 'four take(1000) on a bucket of 3 at 10/s');
    expectSame(bucket.take(1099), false, 'take(1099): 99 ms earn 0.99 of a token');
    expectSame(bucket.take(1100), true, 'take(1100): 100 ms earn one');
  });

  test('the refill stops at the burst', T, () => {
    const bucket = new TokenBucket(100, 5, 0);
    expectSame(bucket.take(0, 5), true, 'take(0, 5) on a full bucket of 5');
    expectSame(bucket.tokens(3_600_000), 5, 'tokens an hour later, burst 5');
  });

  test('a clock that goes back earns nothing and takes nothing away', T, () => {
    const bucket = new TokenBucket(10, 10, 5000);
    bucket.charge(5000, 10);
    expectSame(bucket.tokens(4000), 0, 'tokens(4000) after the last use at 5000');
    expectSame(bucket.tokens(5100), 1, 'tokens(5100): 100 ms after 5000 at 10/s');
  });

  test('waitMs: 0 with a token there, else the missing tokens over the rate', T, () => {
    const bucket = new TokenBucket(20, 4, 0);
    expectSame(bucket.waitMs(0), 0, 'waitMs(0) on a full bucket');
    bucket.charge(0, 4);
    expectSame(bucket.waitMs(0), 50, 'waitMs(0) on an empty bucket at 20/s');
    expectSame(bucket.waitMs(0, 3), 150, 'waitMs(0, 3): three tokens at 20/s');
    bucket.charge(0, 10);
    expectSame(bucket.waitMs(0), 550, 'waitMs(0) ten tokens in debt: 11 tokens to earn');
    expectSame(bucket.take(549), false, 'take(549)');
    expectSame(bucket.take(550), true, 'take(550)');
  });

  test('no traffic ever gets more than burst + rate × elapsed', T, () => {
    const steps = fc.array(fc.record({ advanceMs: fc.integer({ min: 0, max: 500 }), count: fc.integer({ min: 1, max: 5 }) }), { maxLength: 100 });
    forAll(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 50 }), steps, (rate, burst, traffic) => {
      const bucket = new TokenBucket(rate, burst, 0);
      let now = 0;
      let taken = 0;
      for (const { advanceMs, count } of traffic) {
        now += advanceMs;
        if (bucket.take(now, count)) taken += count;
        expectTrue(taken <= burst + (rate * now) / 1000 + 1e-9, `TokenBucket(${rate}, ${burst}): takes up to ${now} ms`, `at most ${burst} + ${rate}/s × ${now} ms`, `${taken} taken`);
      }
    }), { numRuns: 200, seed: 44 });
  });

  test('a client at its rate is never refused', T, () => {
    forAll(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 50 }), (rate, burst) => {
      const bucket = new TokenBucket(rate, burst, 0);
      for (let i = 1; i <= 200; i++) {
        const now = (i * 1000) / rate;
        expectTrue(bucket.take(now), `TokenBucket(${rate}, ${burst}).take(${now}) — request ${i}, one every 1/${rate} s`, 'true', 'false');
      }
    }), { numRuns: 100, seed: 45 });
  });
});
