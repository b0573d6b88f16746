/**
 * Model-based test of SharedStore: the contract's model check (test/store-model-check.ts) on a
 * 1 MiB store, far more than a run's few keys need, so no answer is NO_MEMORY.
 */
import { SharedStore } from './shared-store.ts';
import { describeModelCheck } from './test/store-model-check.ts';

describeModelCheck('SharedStore', (clock, maxItemSize) => SharedStore.create({ memoryBytes: 1024 * 1024, maxItemSize, now: clock.now }));
