/** memcached's exptime ranges, as absolute milliseconds. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALREADY_EXPIRED, expiresAt, isExpired, MAX_RELATIVE_EXPTIME, NEVER } from './exptime.ts';

const NOW = 1_700_000_000_000;

describe('exptime', { timeout: 5000 }, () => {
  test('0 never expires', () => {
    assert.equal(expiresAt(0, NOW), NEVER);
    assert.equal(isExpired(NEVER, Number.MAX_SAFE_INTEGER), false);
  });

  test('up to 30 days is relative seconds', () => {
    assert.equal(expiresAt(1, NOW), NOW + 1000);
    assert.equal(expiresAt(MAX_RELATIVE_EXPTIME, NOW), NOW + 2_592_000_000);
  });

  test('beyond 30 days is an absolute Unix time, possibly already past', () => {
    assert.equal(expiresAt(MAX_RELATIVE_EXPTIME + 1, NOW), (MAX_RELATIVE_EXPTIME + 1) * 1000);
    assert.equal(isExpired(expiresAt(MAX_RELATIVE_EXPTIME + 1, NOW), NOW), true);
    assert.equal(isExpired(expiresAt(NOW / 1000 + 5, NOW), NOW), false);
  });

  test('negative is expired at once, whatever the clock says', () => {
    assert.equal(expiresAt(-1, NOW), ALREADY_EXPIRED);
    assert.equal(isExpired(ALREADY_EXPIRED, 0), true);
  });

  test('an item is expired from its expiry time on, not before', () => {
    assert.equal(isExpired(NOW, NOW - 1), false);
    assert.equal(isExpired(NOW, NOW), true);
  });
});
