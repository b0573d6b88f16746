/**
 * A worker for slab-grow.test.ts: attaches to the store before it grows, waits at the gate, then
 * reads keys `k0` … `k(count − 1)` — some of them stored in pages added after it attached — and
 * reports how many it found with their own value (each value is its key, repeated).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SlabStore } from '../slab-store.ts';

const { buffer, gate, count } = workerData as { buffer: SharedArrayBuffer; gate: Int32Array; count: number };
const store = SlabStore.attach(buffer);
parentPort!.postMessage('attached');
Atomics.wait(gate, 0, 0);
let found = 0;
let wrong = 0;
for (let i = 0; i < count; i++) {
  const item = store.get(`k${i}`);
  if (item === undefined) continue;
  if (item.value.toString('latin1') === `k${i}`.repeat(100)) found++;
  else wrong++;
}
parentPort!.postMessage({ found, wrong });
