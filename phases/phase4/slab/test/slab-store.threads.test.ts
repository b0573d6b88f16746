/**
 * The thread hammer (shared/store/test/store-hammer.ts) on a 16 MiB slab store: four workers
 * attach to one buffer through attach-slab-store.ts; every count, own key and shared key exact.
 */
import { describeThreadHammer } from '../../../../shared/store/test/store-hammer.ts';
import { SlabStore } from '../slab-store.ts';

const ATTACH = new URL('../attach-slab-store.ts', import.meta.url).href;

describeThreadHammer('SlabStore', SlabStore.create({ memoryBytes: 16 * 1024 * 1024 }), ATTACH);
