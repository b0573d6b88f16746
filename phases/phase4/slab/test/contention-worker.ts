/**
 * A worker for the eviction-under-contention test (slab-contention.test.ts): attaches to the slab
 * store, waits at the gate, then runs a fixed mix of commands on a key space far larger than the
 * store holds — sets (evicting), gets, deletes, add and incr of counters, touch with a short
 * expiry, appends — and
 * reports how many stores failed and how many values read back were not one whole version of
 * what their key was given (a torn or foreign value).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SlabStore } from '../slab-store.ts';
import { StoreMode, StoreResult } from '../../../../shared/store/store.ts';
import { contentionValue, isWholeValue, type ContentionData, type ContentionReport } from './contention-protocol.ts';

const { buffer, gate, id, operations, keys } = workerData as ContentionData;
const store = SlabStore.attach(buffer);
Atomics.wait(gate, 0, 0);

let failedStores = 0;
let wrongValues = 0;
let hits = 0;
// A fixed pseudo-random sequence per worker (a 32-bit LCG), so a failing run can be replayed.
let seed = 0x9e3779b9 ^ id;
const next = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
for (let op = 0; op < operations; op++) {
  const key = `k${next() % keys}`;
  const choice = next() % 100;
  if (choice < 50) {
    const outcome = store.store(StoreMode.Set, key, 0, 0, contentionValue(key, String.fromCharCode(97 + (next() % 26))));
    if (outcome.result !== StoreResult.Stored) failedStores++;
  } else if (choice < 85) {
    const item = store.get(key);
    if (item !== undefined) {
      hits++;
      if (!isWholeValue(key, item.value)) wrongValues++;
    }
  } else if (choice < 90) {
    store.delete(key);
  } else if (choice < 92) {
    store.store(StoreMode.Add, `n${next() % 64}`, 0, 0, Buffer.from('0'));
  } else if (choice < 94) {
    store.incrDecr(`n${next() % 64}`, true, 1n);
  } else if (choice < 97) {
    store.touch(key, 1);
  } else {
    store.store(StoreMode.Append, key, 0, 0, Buffer.from('+'));
  }
}
const report: ContentionReport = { id, failedStores, wrongValues, hits };
parentPort!.postMessage(report);
