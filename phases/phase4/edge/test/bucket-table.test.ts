/**
 * The table of buckets: one per key, shared by a key's connections, its debt kept after they
 * close (no fresh burst by reconnecting), dropped once refilled, and bounded in size however many
 * addresses pass through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketTable } from '../bucket-table.ts';

test('connections of one key share its bucket', () => {
  const table = new BucketTable(10, 2, 100);
  const a = table.acquire('10.0.0.1', 0);
  const b = table.acquire('10.0.0.1', 0);
  assert.equal(a, b);
  assert.equal(a.users, 2);
  assert.equal(table.acquire('10.0.0.2', 0) === a, false);
});

test('a client that reconnects finds its debt, not a fresh burst', () => {
  const table = new BucketTable(10, 5, 100);
  const entry = table.acquire('10.0.0.1', 0);
  entry.bucket.charge(0, 20);
  table.release(entry);
  table.prune(100);
  const again = table.acquire('10.0.0.1', 100);
  assert.equal(again, entry);
  assert.ok(again.bucket.tokens(100) < 0);
});

test('an unused bucket is dropped once it has refilled', () => {
  const table = new BucketTable(10, 5, 100);
  const entry = table.acquire('10.0.0.1', 0);
  entry.bucket.charge(0, 5);
  table.release(entry);
  table.prune(400);
  assert.equal(table.size, 1, 'still owes 2 tokens at 400 ms');
  table.prune(500);
  assert.equal(table.size, 0);
});

test('100,000 addresses passing through leave at most the bound of unused buckets', () => {
  const capacity = 1000;
  const table = new BucketTable(10, 5, capacity);
  const held = [];
  for (let i = 0; i < 100; i++) held.push(table.acquire(`in-use-${i}`, 0));
  for (let i = 0; i < 100_000; i++) {
    const entry = table.acquire(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, i);
    // Each spends tokens, so none is full when it leaves: only the bound can drop it.
    entry.bucket.charge(i, 5);
    table.release(entry);
    assert.ok(table.size <= capacity, `${table.size} buckets after ${i + 1} addresses`);
  }
  for (const entry of held) assert.equal(table.acquire(entry.key, 100_000), entry, 'buckets in use are never dropped');
});
