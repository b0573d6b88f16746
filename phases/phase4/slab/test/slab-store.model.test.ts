/**
 * The Store contract's model check (shared/store/test/store-model-check.ts) on the slab store: the
 * same random sequences, answers, CAS values, contents and counters as SharedStore must give. The
 * store has 8 pages — room for every class a run touches — so nothing is ever evicted.
 */
import { describeModelCheck } from '../../../../shared/store/test/store-model-check.ts';
import { SlabStore } from '../slab-store.ts';

describeModelCheck('SlabStore', (clock, maxItemSize) => SlabStore.create({ memoryBytes: 8 * 1024 * 1024, maxItemSize, now: clock.now }));
