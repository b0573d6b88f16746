/**
 * `node --import tsx phases/phase4/slab/store-get-bench.ts`: what a get costs in the slab store
 * against phases 1–3's SharedStore, in one process: 10,000 keys of 100-byte values, then 1,000,000
 * gets of random keys on each store, three interleaved rounds, the fastest counted (the machine may
 * be shared). Both stores take one lock and copy the value out; the slab store adds the LRU's
 * bump check. Prints ns per get and the ratio.
 * @module
 */
import { cpus } from 'node:os';
import { SharedStore } from '../../../shared/store/shared-store.ts';
import { StoreMode, type Store } from '../../../shared/store/store.ts';
import { SlabStore } from './slab-store.ts';

const KEYS = 10_000;
const GETS = 1_000_000;
const MEMORY = 64 * 1024 * 1024;
const value = Buffer.alloc(100, 0x76);
const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);
// The same random key order for both stores, drawn once.
const order = new Uint32Array(GETS);
let seed = 0x1234567;
for (let i = 0; i < GETS; i++) {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  order[i] = (seed >>> 0) % KEYS;
}

function filled(store: Store): Store {
  for (const key of keys) store.store(StoreMode.Set, key, 0, 0, value);
  return store;
}

function timeGets(store: Store): number {
  let found = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < GETS; i++) if (store.get(keys[order[i]!]!) !== undefined) found++;
  const ns = Number(process.hrtime.bigint() - started) / GETS;
  if (found !== GETS) throw new Error(`only ${found} of ${GETS} gets hit`);
  return ns;
}

console.log(`store-get-bench: Node ${process.version}, ${cpus().length} CPUs; ${KEYS} keys of ${value.length} B, ${GETS} gets per round`);
console.log('command: node --import tsx phases/phase4/slab/store-get-bench.ts');
const stores: [string, Store][] = [
  ['SharedStore', filled(SharedStore.create({ memoryBytes: MEMORY }))],
  ['SlabStore', filled(SlabStore.create({ memoryBytes: MEMORY }))],
];
const best = new Map<string, number>();
for (let round = 0; round < 3; round++) {
  for (const [name, store] of stores) best.set(name, Math.min(best.get(name) ?? Infinity, timeGets(store)));
}
for (const [name] of stores) console.log(`${name.padEnd(12)} ${best.get(name)!.toFixed(1).padStart(7)} ns/get`);
console.log(`SlabStore / SharedStore: ${(best.get('SlabStore')! / best.get('SharedStore')!).toFixed(2)}×`);
