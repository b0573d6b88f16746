/** The slowdown of failed logins, per address. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailureDelays } from '../failure-delays.ts';

const policy = { baseMs: 100, maxMs: 1000, forgetMs: 60_000, maxAddresses: 3 };

test('the first failure is free, then the wait doubles up to the maximum', () => {
  const delays = new FailureDelays(policy);
  const waits = Array.from({ length: 7 }, (_, i) => delays.failed('10.0.0.1', 1000 + i));
  assert.deepEqual(waits, [0, 100, 200, 400, 800, 1000, 1000]);
});

test('addresses are counted apart', () => {
  const delays = new FailureDelays(policy);
  delays.failed('10.0.0.1', 0);
  delays.failed('10.0.0.1', 0);
  assert.equal(delays.failed('10.0.0.2', 0), 0);
  assert.equal(delays.failed('10.0.0.1', 0), 200);
});

test('an address is forgotten forgetMs after its last failure', () => {
  const delays = new FailureDelays(policy);
  delays.failed('10.0.0.1', 0);
  delays.failed('10.0.0.1', 1);
  assert.equal(delays.failures('10.0.0.1', 59_000), 2);
  assert.equal(delays.failures('10.0.0.1', 60_001), 0);
  assert.equal(delays.failed('10.0.0.1', 60_001), 0, 'starts afresh');
});

test('the table holds at most maxAddresses, dropping the one that failed longest ago', () => {
  const delays = new FailureDelays(policy);
  for (const [i, address] of ['a', 'b', 'c', 'd'].entries()) delays.failed(address, i);
  assert.equal(delays.size, 3);
  assert.equal(delays.failures('a', 10), 0, 'the oldest went first');
  assert.equal(delays.failures('d', 10), 1);
  // A new failure moves an address to the young end, so it outlives the others.
  delays.failed('b', 20);
  delays.failed('e', 21);
  assert.equal(delays.failures('b', 22), 2);
  assert.equal(delays.failures('c', 22), 0);
});

test('a base of 0 turns the slowdown off', () => {
  const delays = new FailureDelays({ ...policy, baseMs: 0 });
  for (let i = 0; i < 5; i++) assert.equal(delays.failed('10.0.0.1', i), 0);
});
