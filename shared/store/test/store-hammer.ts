/**
 * Proof that a store's lock works, written once over the Store contract: four worker threads
 * hammer one store at once. 4 × 20,000 incr of one key must give exactly 80,000; values written to
 * distinct keys must read back byte for byte, in the writer and later in another thread; reads of
 * keys everyone overwrites must never see a torn value. SharedStore's test runs it, and so does
 * every later store's.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { spawnWorker } from '../../runtime/spawn-worker.ts';
import type { Store } from '../store.ts';
import { OWN_KEYS, ownKey, ownValue, type HammerData, type HammerReport } from './store-hammer-protocol.ts';

const WORKER = new URL('./store-hammer-worker.ts', import.meta.url);
const WORKERS = 4;
const INCREMENTS = 20_000;
const ROUNDS = 300;
/** How long to wait for the workers before failing (and so ending) the test. */
const WAIT_MS = 60_000;

/**
 * Runs the hammer as a node:test suite named after `label`: `store` is made here, with at least
 * 16 MiB; each worker attaches to its buffer through `storeModule`'s attachStore (absent: a SharedStore).
 */
export function describeThreadHammer(label: string, store: Store & { readonly buffer: SharedArrayBuffer }, storeModule?: string): void {
  void describe(`${label} across threads`, { timeout: 90_000 }, () => {
    void test(`${WORKERS} workers at once: counts, own keys and shared keys all stay exact`, async () => {
      store.store('set', 'counter', 0, 0, Buffer.from('0'));
      const gate = new Int32Array(new SharedArrayBuffer(4));
      const workers = Array.from({ length: WORKERS }, (_, id) => {
        const data: HammerData = { store: store.buffer, gate, id, increments: INCREMENTS, rounds: ROUNDS, storeModule };
        return spawnWorker(WORKER, { workerData: data });
      });
      try {
        const signal = AbortSignal.timeout(WAIT_MS);
        await Promise.all(workers.map((w) => once(w, 'online', { signal })));
        const reports = Promise.all(workers.map(async (w) => (await once(w, 'message', { signal }))[0] as HammerReport));
        Atomics.store(gate, 0, 1);
        Atomics.notify(gate, 0);
        for (const report of await reports) {
          assert.deepEqual(
            { failedIncrements: report.failedIncrements, ownMismatches: report.ownMismatches, tornReads: report.tornReads },
            { failedIncrements: 0, ownMismatches: 0, tornReads: 0 },
            `worker ${report.id}`,
          );
          assert.ok(report.sharedReads > 0);
        }
        assert.equal(store.get('counter')!.value.toString('latin1').trim(), String(WORKERS * INCREMENTS));
        assert.equal(store.stats().incr_hits, WORKERS * INCREMENTS);
        // The main thread reads what the workers wrote last.
        for (let id = 0; id < WORKERS; id++) {
          for (let index = 0; index < OWN_KEYS; index++) {
            assert.deepEqual(store.get(ownKey(id, index))!.value, ownValue(id, index, ROUNDS - 1), ownKey(id, index));
          }
        }
      } finally {
        await Promise.all(workers.map((w) => w.terminate()));
      }
    });
  });
}
