/** A SharedStore on a fake clock, and small helpers the store tests share. */
import { SharedStore } from '../shared-store.ts';
import type { Item } from '../store.ts';

/** A fixed, realistic start time (2023-11-14), so absolute exptimes mean what they say. */
export const START_MS = 1_700_000_000_000;

/** A clock the test moves by hand. */
export class FakeClock {
  ms = START_MS;
  /** The function to give the store. */
  readonly now = (): number => this.ms;
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.ms += ms;
  }
  /** The current time in whole Unix seconds (for absolute exptimes). */
  get unixSeconds(): number {
    return Math.floor(this.ms / 1000);
  }
}

/** A store of `memoryBytes` (default 1 MiB) on a fresh fake clock. */
export function storeOnFakeClock(memoryBytes = 1024 * 1024, maxItemSize?: number): { store: SharedStore; clock: FakeClock } {
  const clock = new FakeClock();
  const store = SharedStore.create({ memoryBytes, maxItemSize, now: clock.now });
  return { store, clock };
}

/** Latin1 bytes of `text`. */
export function bytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** An item's value as latin1 text, or undefined for a miss. */
export function valueOf(item: Item | undefined): string | undefined {
  return item?.value.toString('latin1');
}
