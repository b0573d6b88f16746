/**
 * A worker for the thread hammer (store-hammer.ts): attaches to the store (a SharedStore, or the
 * store a module's attachStore opens), waits at the gate, then
 * increments one counter, writes and re-reads its own keys, and writes and checks the shared keys,
 * all while the other workers do the same. Reports what it saw.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedStore } from '../shared-store.ts';
import { ArithResult, StoreMode, type Store } from '../store.ts';
import { OWN_KEYS, ownKey, ownValue, SHARED_KEYS, sharedByte, sharedValue, type HammerData, type HammerReport } from './store-hammer-protocol.ts';

const { store: buffer, gate, id, increments, rounds, storeModule } = workerData as HammerData;
const store: Store = storeModule === undefined
  ? SharedStore.attach(buffer)
  : ((await import(storeModule)) as { attachStore(buffer: SharedArrayBuffer): Store }).attachStore(buffer);

Atomics.wait(gate, 0, 0);

let failedIncrements = 0;
for (let i = 0; i < increments; i++) {
  if (store.incrDecr('counter', true, 1n).result !== ArithResult.Ok) failedIncrements++;
}

let ownMismatches = 0;
let tornReads = 0;
let sharedReads = 0;
for (let round = 0; round < rounds; round++) {
  for (let index = 0; index < OWN_KEYS; index++) {
    const value = ownValue(id, index, round);
    store.store(StoreMode.Set, ownKey(id, index), index, 0, value);
    const back = store.get(ownKey(id, index));
    if (!back || back.flags !== index || !back.value.equals(value)) ownMismatches++;
  }
  const sharedKey = SHARED_KEYS[round % SHARED_KEYS.length]!;
  const length = (round * 61 + id * 389) % 2000;
  store.store(StoreMode.Set, sharedKey, length, 0, sharedValue(length));
  for (const key of SHARED_KEYS) {
    const item = store.get(key);
    if (!item) continue;
    sharedReads++;
    const expected = sharedByte(item.value.length);
    if (item.flags !== item.value.length || item.value.some((byte) => byte !== expected)) tornReads++;
  }
}

const report: HammerReport = { id, failedIncrements, ownMismatches, tornReads, sharedReads };
parentPort!.postMessage(report);
