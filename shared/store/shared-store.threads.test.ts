/**
 * The thread hammer (test/store-hammer.ts) on a 16 MiB SharedStore: four workers at once, every
 * count, own key and shared key exact.
 */
import { SharedStore } from './shared-store.ts';
import { describeThreadHammer } from './test/store-hammer.ts';

describeThreadHammer('SharedStore', SharedStore.create({ memoryBytes: 16 * 1024 * 1024 }));
