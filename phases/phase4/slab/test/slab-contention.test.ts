/**
 * Eviction under contention, on purpose: four worker threads run a mix of sets, gets, deletes,
 * incr, touch and append on 20,000 keys against a 2 MiB slab store (about 3,600 values fit), so
 * every few sets evict and pages move between classes while the other threads hold their keys'
 * stripes. Afterwards the store's structure is audited from the buffer (slab-audit.ts): every
 * linked item in exactly one hash chain and one LRU, both directions of every LRU intact, every
 * chunk used or free, and curr_items, bytes and each class's item count equal to what is linked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { spawnWorker } from '../../../../shared/runtime/spawn-worker.ts';
import { SlabStore } from '../slab-store.ts';
import type { ContentionData, ContentionReport } from './contention-protocol.ts';
import { auditSlabStore } from './slab-audit.ts';

const WORKER = new URL('./contention-worker.ts', import.meta.url);
const WORKERS = 4;
const OPERATIONS = 40_000;
const KEYS = 20_000;

test(`${WORKERS} threads evicting in one small store leave its hash table, LRUs, free lists and counters in agreement`, { timeout: 90_000 }, async () => {
  const store = SlabStore.create({ memoryBytes: 2 * 1024 * 1024 });
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from({ length: WORKERS }, (_, id) => {
    const data: ContentionData = { buffer: store.buffer, gate, id, operations: OPERATIONS, keys: KEYS };
    return spawnWorker(WORKER, { workerData: data });
  });
  try {
    const signal = AbortSignal.timeout(60_000);
    await Promise.all(workers.map((w) => once(w, 'online', { signal })));
    const reports = Promise.all(workers.map(async (w) => (await once(w, 'message', { signal }))[0] as ContentionReport));
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    const done = await reports;
    for (const report of done) {
      assert.equal(report.wrongValues, 0, `worker ${report.id} read a value that is not one whole version of its key's`);
      assert.ok(report.hits > 0, `worker ${report.id} found nothing it stored`);
    }
    const stats = store.stats();
    assert.ok(stats.evictions > 0, 'the store evicted');
    const audit = auditSlabStore(store.buffer);
    assert.deepEqual(audit.problems, [], 'the audit found the store consistent');
    assert.ok(audit.linkedItems > 1000, `the store still holds its fill (${audit.linkedItems} items)`);
    // Every command was counted once, by the thread that ran it, in its own shard: the sum is exact.
    const commands = stats.cmd_get + stats.cmd_set + stats.delete_hits + stats.delete_misses + stats.incr_hits + stats.incr_misses + stats.cmd_touch;
    assert.equal(commands, WORKERS * OPERATIONS, 'every command counted once');
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
});
