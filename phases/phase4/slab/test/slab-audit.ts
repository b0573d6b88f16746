/**
 * A structural audit of a slab store, for tests: walks the hash table, every class's LRU and every
 * class's free list straight from the buffer and checks they agree with each other and with the
 * counters — every linked item in exactly one chain and one LRU, the LRU's links both ways, each
 * chunk either used or free, `curr_items` and `bytes` equal to what is linked. Call it with no
 * other thread running commands (it takes no lock).
 */
import { attachStoreMemory } from '../../../../shared/store/store-memory.ts';
import { itemTotalSize } from '../../../../shared/store/item-size.ts';
import {
  BUCKET_MASK, bucketSlot, ITEM_BITS, ITEM_CLASS, ITEM_HASH, ITEM_KEY_LENGTH, ITEM_NEXT, ITEM_VALUE_LENGTH, STAT,
} from '../../../../shared/store/layout.ts';
import { sumCounter } from '../counter-shards.ts';
import { slabHeaderStart } from '../slab-format.ts';
import {
  CHUNK_FREE, CLASS_COUNTER, CLASS_FREE_HEAD, CLASS_LRU_HEAD, CLASS_LRU_TAIL, CLASS_PAGES, CLASS_PER_PAGE, classCounterSlot, classSlot,
  CHUNK_DATA, ITEM_LINKED, LRU_NEXT, LRU_PREV, SLAB_CLASS_COUNT, SLAB_STORE_MAGIC,
} from '../slab-layout.ts';

/** What the audit counted, and every disagreement it found (empty when the store is sound). */
export interface SlabAudit {
  readonly linkedItems: number;
  readonly lruItems: number;
  readonly problems: string[];
}

/** Audits the slab store in `buffer` (a chunked item's data chunks are checked as used chunks of their classes). */
export function auditSlabStore(buffer: SharedArrayBuffer): SlabAudit {
  const mem = attachStoreMemory(buffer, SLAB_STORE_MAGIC, 'not a slab store');
  const base = slabHeaderStart(mem);
  const problems: string[] = [];
  const mask = mem.u32(BUCKET_MASK);

  // The hash table: every item once, linked, in the bucket its hash names.
  const inTable = new Set<number>();
  let bytes = 0;
  for (let bucket = 0; bucket <= mask; bucket++) {
    for (let item = mem.u32(bucketSlot(bucket)); item !== 0; item = mem.u32(item + ITEM_NEXT)) {
      if (inTable.has(item)) problems.push(`item ${item} twice in the hash table`);
      inTable.add(item);
      if ((mem.u32(item + ITEM_HASH) & mask) !== bucket) problems.push(`item ${item} in bucket ${bucket}, its hash says otherwise`);
      const bits = mem.u8(item + ITEM_BITS);
      if ((bits & ITEM_LINKED) === 0 || (bits & (CHUNK_FREE | CHUNK_DATA)) !== 0) problems.push(`item ${item} in the hash table with bits ${bits}`);
      bytes += itemTotalSize(mem.u16(item + ITEM_KEY_LENGTH), mem.u32(item + ITEM_VALUE_LENGTH));
    }
  }

  // Each class: its LRU (both directions), its free list, and its counters.
  const classCount = mem.u32(base + SLAB_CLASS_COUNT);
  const inLru = new Set<number>();
  for (let index = 0; index < classCount; index++) {
    let count = 0;
    let previous = 0;
    for (let item = mem.u32(base + classSlot(index, CLASS_LRU_HEAD)); item !== 0; item = mem.u32(item + LRU_NEXT)) {
      if (inLru.has(item)) {
        problems.push(`item ${item} twice in the LRUs`);
        break;
      }
      inLru.add(item);
      count++;
      if (mem.u32(item + LRU_PREV) !== previous) problems.push(`class ${index + 1}: item ${item}'s back link is wrong`);
      if (mem.u8(item + ITEM_CLASS) !== index) problems.push(`item ${item} in the LRU of class ${index + 1}, not its own`);
      if (!inTable.has(item)) problems.push(`item ${item} in an LRU but not in the hash table`);
      previous = item;
    }
    if (mem.u32(base + classSlot(index, CLASS_LRU_TAIL)) !== previous) problems.push(`class ${index + 1}: the tail is not the last item`);
    const items = mem.f64(base + classCounterSlot(index, CLASS_COUNTER.items));
    if (items !== count) problems.push(`class ${index + 1}: items counter ${items}, LRU holds ${count}`);
    let free = 0;
    for (let chunk = mem.u32(base + classSlot(index, CLASS_FREE_HEAD)); chunk !== 0; chunk = mem.u32(chunk + ITEM_NEXT)) {
      if ((mem.u8(chunk + ITEM_BITS) & CHUNK_FREE) === 0) problems.push(`class ${index + 1}: chunk ${chunk} on the free list is not marked free`);
      free++;
      if (free > 10_000_000) {
        problems.push(`class ${index + 1}: the free list loops`);
        break;
      }
    }
    const chunks = mem.u32(base + classSlot(index, CLASS_PAGES)) * mem.u32(base + classSlot(index, CLASS_PER_PAGE));
    const used = mem.f64(base + classCounterSlot(index, CLASS_COUNTER.used));
    if (used + free !== chunks) problems.push(`class ${index + 1}: ${used} used + ${free} free ≠ ${chunks} chunks`);
  }
  for (const item of inTable) if (!inLru.has(item)) problems.push(`item ${item} in the hash table but in no LRU`);

  const currItems = sumCounter(mem, base, STAT.curr_items);
  if (currItems !== inTable.size) problems.push(`curr_items ${currItems}, the hash table holds ${inTable.size}`);
  const counted = sumCounter(mem, base, STAT.bytes);
  if (counted !== bytes) problems.push(`bytes ${counted}, the linked items add up to ${bytes}`);
  return { linkedItems: inTable.size, lruItems: inLru.size, problems };
}
