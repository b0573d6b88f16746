/**
 * Pinned items (memcached's item refcount): an item whose value is on its way out of a socket as a
 * view of store memory must keep those bytes until the socket has sent them. A pin says so. While
 * an item is pinned it is never rewritten in place, evicted, reclaimed or moved with its page; an
 * overwrite or a delete unlinks it as usual — no later get finds it — but leaves its chunk
 * allocated, and the last unpin frees it.
 *
 * The pins live beside the stripes (slab-layout.ts's PIN_TABLE): a few slots per stripe, each an
 * item and a count, read and written only under that stripe's lock, which every caller already
 * holds for the item. So pinning adds no lock, and asking "is this item pinned?" reads a handful
 * of words that sit next to each other. When a stripe's slots are all in use, the get copies.
 * @module
 */
import { ITEM_HASH } from '../../../shared/store/layout.ts';
import type { StoreMemory } from '../../../shared/store/store-memory.ts';
import { PIN_SLOT_BYTES, PIN_TABLE, PINS_PER_STRIPE, SLAB_STRIPE_MASK } from './slab-layout.ts';

/** The pin table of one store. Every method expects the stripe of the item it names held. */
export class SlabPins {
  private readonly mem: StoreMemory;
  private readonly table: number;
  private readonly mask: number;

  constructor(mem: StoreMemory, base: number) {
    this.mem = mem;
    this.table = base + PIN_TABLE;
    this.mask = mem.u32(base + SLAB_STRIPE_MASK);
  }

  /** Pins `item` once more. Returns false, pinning nothing, when its stripe has no free slot. */
  pinLocked(item: number): boolean {
    const mem = this.mem;
    const first = this.firstSlot(item);
    let free = -1;
    for (let slot = first; slot < first + PINS_PER_STRIPE * PIN_SLOT_BYTES; slot += PIN_SLOT_BYTES) {
      const pinned = mem.u32(slot);
      if (pinned === item) {
        mem.setU32(slot + 4, mem.u32(slot + 4) + 1);
        return true;
      }
      if (pinned === 0 && free === -1) free = slot;
    }
    if (free === -1) return false;
    mem.setU32(free, item);
    mem.setU32(free + 4, 1);
    return true;
  }

  /** Whether `item` is pinned. */
  isPinned(item: number): boolean {
    return this.slotOf(item) !== -1;
  }

  /** Takes one pin off `item`. Returns true when that was its last. */
  unpinLocked(item: number): boolean {
    const slot = this.slotOf(item);
    if (slot === -1) throw new Error(`item ${item} is not pinned`);
    const count = this.mem.u32(slot + 4) - 1;
    this.mem.setU32(slot + 4, count);
    if (count > 0) return false;
    this.mem.setU32(slot, 0);
    return true;
  }

  /** The slot holding `item`, or −1. */
  private slotOf(item: number): number {
    const first = this.firstSlot(item);
    for (let slot = first; slot < first + PINS_PER_STRIPE * PIN_SLOT_BYTES; slot += PIN_SLOT_BYTES) {
      if (this.mem.u32(slot) === item) return slot;
    }
    return -1;
  }

  /** The first slot of `item`'s stripe (its hash is in its header). */
  private firstSlot(item: number): number {
    const stripe = this.mem.u32(item + ITEM_HASH) & this.mask;
    return this.table + stripe * PINS_PER_STRIPE * PIN_SLOT_BYTES;
  }
}
