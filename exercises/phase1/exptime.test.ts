/**
 * Checks for exercise 1.1 (exptime), run against your file or the reference answer. The numbers
 * are memcached 1.6's: 0 never expires, up to 30 days is relative, beyond is a Unix time.
 */
import { describe, test } from 'node:test';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame } from '../../shared/course/checks.ts';

const { expiresAt, isExpired, NEVER, ALREADY_EXPIRED } = await loadExercise<typeof import('./exptime.ts')>(import.meta.url);

const T = { timeout: 5000 };
/** A fixed "now": 2023-11-14 22:13:20 UTC, in ms. */
const NOW = 1_700_000_000_000;
const THIRTY_DAYS = 2_592_000;

describe('1.1 exptime', () => {
  test('exptime 0 means the item never expires', T, () => {
    expectSame(expiresAt(0, NOW), NEVER, `expiresAt(0, ${NOW})`);
    expectSame(isExpired(NEVER, NOW * 10), false, `isExpired(NEVER, ${NOW * 10})`);
  });

  test('a negative exptime means the item is expired from the start', T, () => {
    expectSame(expiresAt(-1, NOW), ALREADY_EXPIRED, `expiresAt(-1, ${NOW})`);
    expectSame(expiresAt(-5000, NOW), ALREADY_EXPIRED, `expiresAt(-5000, ${NOW})`);
    expectSame(isExpired(ALREADY_EXPIRED, NOW), true, `isExpired(ALREADY_EXPIRED, ${NOW})`);
  });

  test('up to 30 days (2592000 s), exptime counts seconds from now', T, () => {
    expectSame(expiresAt(1, NOW), NOW + 1000, `expiresAt(1, ${NOW})`);
    expectSame(expiresAt(60, NOW), NOW + 60_000, `expiresAt(60, ${NOW})`);
    expectSame(expiresAt(THIRTY_DAYS, NOW), NOW + THIRTY_DAYS * 1000, `expiresAt(${THIRTY_DAYS}, ${NOW})`);
  });

  test('beyond 30 days, exptime is a Unix time in seconds', T, () => {
    expectSame(expiresAt(THIRTY_DAYS + 1, NOW), (THIRTY_DAYS + 1) * 1000, `expiresAt(${THIRTY_DAYS + 1}, ${NOW})`);
    expectSame(expiresAt(1_800_000_000, NOW), 1_800_000_000_000, `expiresAt(1800000000, ${NOW})`);
  });

  test('an item is expired once the clock reaches its time, not before', T, () => {
    const at = expiresAt(10, NOW);
    expectSame(isExpired(at, at - 1), false, `isExpired(expiresAt(10, NOW), NOW + 9999 ms)`);
    expectSame(isExpired(at, at), true, `isExpired(expiresAt(10, NOW), NOW + 10000 ms)`);
    expectSame(isExpired(1_000_000_000_000, NOW), true, 'isExpired(a Unix time in 2001, NOW)');
  });
});
