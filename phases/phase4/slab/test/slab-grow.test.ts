/**
 * cache_memlimit past the starting -m grows the slab store's buffer, and a thread that attached
 * before the growth reads what was stored in the new pages: it maps them as it next takes a lock
 * (StoreMemory.follow, called by slab-locks.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { spawnWorker } from '../../../../shared/runtime/spawn-worker.ts';
import { StoreMode, StoreResult } from '../../../../shared/store/store.ts';
import { SlabStore } from '../slab-store.ts';

const MIB = 1024 * 1024;

test('a thread attached before cache_memlimit grew the store reads items stored in the new pages', { timeout: 60_000 }, async () => {
  const store = SlabStore.create({ memoryBytes: 8 * MIB });
  const before = store.buffer.byteLength;
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = spawnWorker(new URL('./grow-reader.ts', import.meta.url), { workerData: { buffer: store.buffer, gate, count: 40_000 } });
  try {
    const signal = AbortSignal.timeout(30_000);
    await once(worker, 'message', { signal });
    assert.equal(store.admin.setMemoryLimit(32), 'OK');
    assert.ok(store.buffer.byteLength >= before + 24 * MIB, 'the buffer grew by the pages added');
    let stored = 0;
    for (let i = 0; i < 40_000 && store.stats().evictions === 0; i++) {
      assert.equal(store.store(StoreMode.Set, `k${i}`, 0, 0, Buffer.from(`k${i}`.repeat(100), 'latin1')).result, StoreResult.Stored);
      stored++;
    }
    assert.ok(store.sizeClassStats().totalMalloced > 8 * MIB, 'items live in the added pages');
    const report = once(worker, 'message', { signal });
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    const [{ found, wrong }] = (await report) as [{ found: number; wrong: number }];
    assert.equal(wrong, 0, 'no value read wrong');
    assert.equal(found, store.stats().curr_items, `the worker found every item (${stored} stored)`);
  } finally {
    await worker.terminate();
  }
});
