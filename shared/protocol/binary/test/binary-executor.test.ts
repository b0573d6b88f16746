/**
 * Runs the binary executor suite against the in-memory test store (and, once it exists, against
 * the SharedArrayBuffer store the servers use).
 */
import { MemoryStore } from './memory-store.ts';
import { executorSuite } from './executor-suite.ts';

executorSuite('an in-memory store', () => {
  let now = 1_700_000_000;
  const store = new MemoryStore({ now: () => now });
  return { store, advance: (seconds) => { now += seconds; } };
});
