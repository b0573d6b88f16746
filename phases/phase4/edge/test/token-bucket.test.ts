/**
 * The token bucket on a fake clock: a burst then the rate, debt repaid by waiting, refill capped
 * at the burst, a clock that goes back earning nothing, and — as properties over random traffic —
 * that no sequence of requests ever gets more than burst + rate × elapsed, and a client under the
 * rate is never refused.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TokenBucket } from '../token-bucket.ts';

describe('token bucket', () => {
  test('a full bucket lets a burst through, then one request per 1/rate seconds', () => {
    const bucket = new TokenBucket(10, 3, 1000);
    assert.deepEqual([1, 2, 3, 4].map(() => bucket.take(1000)), [true, true, true, false]);
    assert.equal(bucket.take(1099), false, '99 ms earn 0.99 of a token at 10 a second');
    assert.equal(bucket.take(1100), true, '100 ms earn one');
    assert.equal(bucket.take(1100), false);
  });

  test('refill stops at the burst however long the bucket sat unused', () => {
    const bucket = new TokenBucket(100, 5, 0);
    assert.equal(bucket.take(0, 5), true);
    assert.equal(bucket.tokens(3_600_000), 5);
    assert.equal(bucket.full(3_600_000), true);
  });

  test('charge goes into debt, and waitMs says when a token is back', () => {
    const bucket = new TokenBucket(20, 2, 0);
    bucket.charge(0, 12);
    assert.equal(bucket.tokens(0), -10);
    assert.equal(bucket.waitMs(0), 550, '11 tokens at 20 a second');
    assert.equal(bucket.take(549), false);
    assert.equal(bucket.take(550), true);
    assert.ok(Math.abs(bucket.waitMs(550) - 50) < 1e-6, 'one more token takes 50 ms');
  });

  test('a clock that goes back earns nothing and takes nothing away', () => {
    const bucket = new TokenBucket(10, 10, 5000);
    bucket.charge(5000, 10);
    assert.equal(bucket.tokens(4000), 0);
    assert.equal(bucket.tokens(5100), 1);
  });

  test('setLimits keeps what was earned, up to the new burst', () => {
    const bucket = new TokenBucket(10, 10, 0);
    bucket.setLimits(0, 1, 4);
    assert.equal(bucket.tokens(0), 4);
    bucket.charge(0, 4);
    assert.equal(bucket.waitMs(0), 1000, 'the new rate: 1 a second');
  });

  test('no traffic ever gets more than burst + rate × elapsed', () => {
    const steps = fc.array(fc.record({ advanceMs: fc.integer({ min: 0, max: 500 }), count: fc.integer({ min: 1, max: 5 }) }), { maxLength: 200 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 50 }), steps, (rate, burst, traffic) => {
      const bucket = new TokenBucket(rate, burst, 0);
      let now = 0;
      let taken = 0;
      for (const { advanceMs, count } of traffic) {
        now += advanceMs;
        if (bucket.take(now, count)) taken += count;
        // A tiny epsilon: the refill is floating point.
        assert.ok(taken <= burst + (rate * now) / 1000 + 1e-9, `took ${taken} by ${now} ms at ${rate}/s, burst ${burst}`);
      }
    }), { numRuns: 300, seed: 11 });
  });

  test('a client at or under the rate is never refused', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 400 }), (rate, burst, requests) => {
      const bucket = new TokenBucket(rate, burst, 0);
      for (let i = 1; i <= requests; i++) assert.ok(bucket.take((i * 1000) / rate), `request ${i} at ${rate}/s`);
    }), { numRuns: 200, seed: 12 });
  });

  test('after waitMs a request passes; served requests charged in debt are paid for by waiting', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 500 }), (rate, burst, served) => {
      const bucket = new TokenBucket(rate, burst, 0);
      bucket.charge(0, served);
      const wait = bucket.waitMs(0);
      assert.ok(Math.abs(wait - Math.max(0, ((1 - (burst - served)) * 1000) / rate)) < 1e-6);
      assert.ok(bucket.take(wait));
    }), { numRuns: 200, seed: 13 });
  });
});
