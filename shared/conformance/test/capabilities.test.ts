/** Unit tests of capability parsing and of the rule that skips a case for a target. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_CAPABILITIES, Capability, parseCapabilities } from '../capabilities.ts';
import { skipReason } from '../conformance-case.ts';
import type { TargetDescription } from '../target.ts';

function target(overrides: Partial<TargetDescription>): TargetDescription {
  return { name: 'phaseX', kind: 'phase', capabilities: new Set([Capability.Text]), reference: false, unavailable: null, serverArgs: [], ...overrides };
}

describe('parseCapabilities', { timeout: 5000 }, () => {
  test('reads a comma-separated list, ignoring spaces', () => {
    assert.deepEqual(parseCapabilities('text, stats,binary'), ['text', 'stats', 'binary']);
  });

  test('names unknown capabilities and lists the known ones', () => {
    assert.throws(() => parseCapabilities('text,telepathy'), (error: Error) =>
      error.message.includes('telepathy') && ALL_CAPABILITIES.every((name) => error.message.includes(name)));
  });
});

describe('skipReason', { timeout: 5000 }, () => {
  test('runs a case whose needs the target declares', () => {
    assert.equal(skipReason(target({}), { needs: [Capability.Text] }), false);
  });

  test('skips a case that needs a capability the target lacks, naming it', () => {
    assert.equal(skipReason(target({}), { needs: [Capability.Text, Capability.Binary] }), 'needs "binary", which phaseX does not declare');
  });

  test('skips a deliberate difference on real memcached only', () => {
    const requirements = { difference: 'memcached truncates' };
    assert.match(String(skipReason(target({ reference: true }), requirements)), /deliberate difference.*memcached truncates/);
    assert.equal(skipReason(target({}), requirements), false);
  });

  test('skips everything on an unavailable target, with its reason', () => {
    assert.equal(skipReason(target({ unavailable: 'memcached is not installed' }), {}), 'memcached is not installed');
  });
});
