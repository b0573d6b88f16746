/**
 * Runs the binary executor suite against the in-memory test store and against the
 * SharedArrayBuffer store the servers use, both with clocks the tests move by hand.
 */
import { SharedStore } from '../../../store/shared-store.ts';
import { MemoryStore } from './memory-store.ts';
import { executorSuite } from './executor-suite.ts';

/** A fixed starting time (Unix seconds), so expiry tests do not depend on the wall clock. */
const EPOCH_SECONDS = 1_700_000_000;
/** Room for a few 1 MiB items (the suite stores values up to the item size limit). */
const STORE_BYTES = 16 * 1024 * 1024;

executorSuite('an in-memory store', () => {
  let seconds = EPOCH_SECONDS;
  const store = new MemoryStore({ now: () => seconds });
  return { store, advance: (by) => { seconds += by; } };
});

executorSuite('SharedStore', () => {
  let ms = EPOCH_SECONDS * 1000;
  const store = SharedStore.create({ memoryBytes: STORE_BYTES, now: () => ms });
  return { store, advance: (by) => { ms += by * 1000; } };
});
