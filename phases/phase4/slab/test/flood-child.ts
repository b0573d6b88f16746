/**
 * The flood, run in a child process so its RSS is its own (slab-flood.test.ts starts it): values
 * of random sizes, log-uniform from 1 B to 64 KiB, totalling ten times -m, stored into a slab
 * store, each followed by a read of a small working set that is stored again on a miss (a cache
 * in front of a database). Prints one JSON line: errors, the working set's hit rate over the
 * second half, evictions, and RSS before the store was made and at its highest during the flood.
 */
import { SlabStore } from '../slab-store.ts';
import { StoreMode, StoreResult } from '../../../../shared/store/store.ts';

const MIB = 1024 * 1024;
const memoryMb = Number(process.argv[2] ?? 32);
const FLOOD_FACTOR = 10;
const MAX_VALUE = 64 * 1024;
/** The working set: 2,000 values of 1 KiB, about 2 MiB, read once per flood store. */
const HOT_KEYS = 2000;
const HOT_VALUE = Buffer.alloc(1024, 0x68);

/** A deterministic generator (xorshift32), so a failing run can be repeated. */
let seed = 0x9e3779b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}

// Values are views of one buffer: the flood itself allocates nothing, so RSS is the store's.
const source = Buffer.alloc(MAX_VALUE);
for (let i = 0; i < source.length; i++) source[i] = (i * 131) & 0xff;

globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const store = SlabStore.create({ memoryBytes: memoryMb * MIB, maxItemSize: MIB });
let rssPeak = process.memoryUsage().rss;
let errors = 0;
let hits = 0;
let reads = 0;
let written = 0;
const target = FLOOD_FACTOR * memoryMb * MIB;
for (let i = 0; written < target; i++) {
  const size = Math.max(1, Math.floor(Math.exp(random() * Math.log(MAX_VALUE))));
  if (store.store(StoreMode.Set, `flood:${i}`, 0, 0, source.subarray(0, size)).result !== StoreResult.Stored) errors++;
  written += size;
  const hot = `hot:${Math.floor(random() * HOT_KEYS)}`;
  const item = store.get(hot);
  if (written > target / 2) {
    reads++;
    if (item !== undefined) hits++;
  }
  if (item === undefined && store.store(StoreMode.Set, hot, 0, 0, HOT_VALUE).result !== StoreResult.Stored) errors++;
  if ((i & 1023) === 0) {
    // The reads' private copies are garbage; collecting it keeps the JS heap from standing in
    // for the store's memory in what is measured (run with --expose-gc).
    globalThis.gc?.();
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
}
rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
const stats = store.stats();
process.stdout.write(`${JSON.stringify({
  memoryMb, written, errors, hitRate: hits / reads, evictions: stats.evictions, bufferBytes: store.buffer.byteLength,
  rssBefore, rssPeak, rssGrowth: rssPeak - rssBefore,
})}\n`);
