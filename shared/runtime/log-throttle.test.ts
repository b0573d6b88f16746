/** The log throttle: a bounded number of lines a second, and an honest count of the rest. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogThrottle } from './log-throttle.ts';

test('at most N lines a second; the next line let through carries the count held back', () => {
  const throttle = new LogThrottle(3);
  const at = (ms: number) => throttle.allow(1_000_000 + ms);
  assert.deepEqual([at(0), at(10), at(20)].map((r) => r.write), [true, true, true]);
  for (let i = 0; i < 100_000; i++) assert.equal(at(30 + (i % 900)).write, false);
  assert.deepEqual(at(1000), { write: true, suppressed: 100_000 });
  assert.deepEqual(at(1001), { write: true, suppressed: 0 });
});
