/**
 * The slab store's memory behaviour on a fake clock: eviction takes a class's least recently used
 * item, a fetch protects an item once per bump interval, expired items go before live ones, -M
 * refuses instead, items over the chunk maximum round-trip through data chunks, pages move between
 * classes, cache_memlimit takes pages back, and stats report what happened.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, bytes, valueOf } from '../../../../shared/store/test/fake-clock-store.ts';
import { StoreMode, StoreResult, type SizeClassStats } from '../../../../shared/store/store.ts';
import { SlabStore, type SlabStoreOptions } from '../slab-store.ts';
import { auditSlabStore } from './slab-audit.ts';

const MIB = 1024 * 1024;
/** Values that land in one class (the one holding 900-byte items). */
const VALUE = Buffer.alloc(900, 0x61);

function slabStore(options: Partial<SlabStoreOptions> = {}): { store: SlabStore; clock: FakeClock } {
  const clock = new FakeClock();
  return { store: SlabStore.create({ memoryBytes: MIB, now: clock.now, ...options }), clock };
}

/** Sets keys `prefix0`, `prefix1`, … until the first eviction; returns how many were stored. */
function fillUntilEviction(store: SlabStore, clock: FakeClock, prefix: string): number {
  for (let i = 0; ; i++) {
    clock.advance(1);
    assert.equal(store.store(StoreMode.Set, `${prefix}${i}`, 0, 0, VALUE).result, StoreResult.Stored);
    if (store.stats().evictions > 0) return i;
  }
}

function onlyClass(store: SlabStore): SizeClassStats {
  const classes = store.sizeClassStats().classes;
  assert.equal(classes.length, 1, `one class in use: ${JSON.stringify(classes.map((c) => c.id))}`);
  return classes[0]!;
}

describe('SlabStore eviction', () => {
  test('a full class evicts its least recently stored item first', () => {
    const { store, clock } = slabStore();
    const stored = fillUntilEviction(store, clock, 'k');
    assert.equal(valueOf(store.get('k0')), undefined, 'the oldest item went first');
    assert.equal(valueOf(store.get('k1')), VALUE.toString(), 'the next one is still there');
    assert.equal(valueOf(store.get(`k${stored}`)), VALUE.toString());
    const c = onlyClass(store);
    assert.equal(c.evicted, 1);
    assert.equal(c.evictedUnfetched, 1, 'k0 was never read');
    assert.equal(store.stats().evicted_unfetched, 1);
    assert.equal(c.totalPages, 1);
  });

  test('a tail item fetched since it was stored gets a second chance; the next unfetched one goes instead', () => {
    const { store, clock } = slabStore();
    fillUntilEviction(store, clock, 'k');
    // k0 is gone; k1 is now the tail. A fetch marks it active…
    clock.advance(1);
    assert.ok(store.get('k1'));
    // …so the next eviction moves it back to the head and takes k2.
    store.store(StoreMode.Set, 'new1', 0, 0, VALUE);
    assert.equal(valueOf(store.get('k1')), VALUE.toString(), 'fetched: survived its turn at the tail');
    assert.equal(store.get('k2'), undefined, 'the least recently used unfetched item went instead');
    // meta's `u` fetch leaves the item as it was: k3 is not rescued.
    assert.ok(store.metaGet('k3', { withValue: true, noBump: true }));
    store.store(StoreMode.Set, 'new2', 0, 0, VALUE);
    assert.equal(store.get('k3'), undefined);
  });

  test('expired items are reclaimed before any live item is evicted', () => {
    const { store, clock } = slabStore();
    const count = fillUntilEviction(store, clock, 'live');
    store.resetStats();
    // Every other item gets a one-second life; then a second and a half passes.
    for (let i = 1; i < count; i += 2) assert.ok(store.touch(`live${i}`, 1));
    clock.advance(1500);
    const expired = Math.floor(count / 2);
    for (let i = 0; i < expired; i++) store.store(StoreMode.Set, `more${i}`, 0, 0, VALUE);
    const stats = store.stats();
    assert.equal(stats.evictions, 0, 'nothing live was evicted while expired items held memory');
    assert.ok(stats.reclaimed >= expired - 1, `reclaimed ${stats.reclaimed} of ${expired}`);
    for (let i = 2; i < count; i += 2) assert.ok(store.get(`live${i}`), `live${i} is still there`);
  });

  test('-M: a full class answers NO_MEMORY and counts outofmemory, evicting nothing', () => {
    const { store, clock } = slabStore({ evictions: false });
    let refused = 0;
    for (let i = 0; i < 2000 && refused === 0; i++) {
      clock.advance(1);
      if (store.store(StoreMode.Set, `k${i}`, 0, 0, VALUE).result === StoreResult.NoMemory) refused = i;
    }
    assert.ok(refused > 0, 'a store was refused');
    assert.equal(valueOf(store.get('k0')), VALUE.toString(), 'nothing was evicted');
    assert.equal(store.stats().evictions, 0);
    assert.equal(onlyClass(store).outOfMemory, 1);
  });

  test('a class without a page borrows one from the class whose tail is oldest', () => {
    const { store, clock } = slabStore({ automove: 0 });
    fillUntilEviction(store, clock, 'big');
    clock.advance(10);
    assert.equal(store.store(StoreMode.Set, 'small', 0, 0, bytes('x')).result, StoreResult.Stored);
    assert.equal(valueOf(store.get('small')), 'x');
    const classes = store.sizeClassStats().classes;
    assert.deepEqual(classes.map((c) => [c.id, c.totalPages]), [[1, 1]], 'the only page moved to the small class (id 1)');
    assert.equal((store.stats() as unknown as Record<string, number>).slabs_moved, 1);
  });
});

describe('SlabStore automove', () => {
  /** Class A gets two pages of old items; ten seconds later class B fills the other two. */
  function twoClasses(automove: 0 | 1 | 2): { store: SlabStore; clock: FakeClock; small: number } {
    const { store, clock } = slabStore({ memoryBytes: 4 * MIB, automove });
    for (let i = 0; i < 2 * 1000 && store.sizeClassStats().classes.every((c) => (c.totalPages ?? 0) < 2 || c.freeChunks > 0); i++) {
      store.store(StoreMode.Set, `a${i}`, 0, 0, VALUE);
    }
    clock.advance(10_000);
    const small = Buffer.alloc(40, 0x62);
    let i = 0;
    while (store.stats().evictions === 0 && (store.stats() as unknown as Record<string, number>).slabs_moved === 0) {
      clock.advance(1);
      store.store(StoreMode.Set, `b${i++}`, 0, 0, small);
    }
    return { store, clock, small: i };
  }

  test('mode 2 moves a page from the class whose tail is older instead of evicting', () => {
    const { store } = twoClasses(2);
    assert.equal((store.stats() as unknown as Record<string, number>).slabs_moved, 1);
    assert.deepEqual(store.sizeClassStats().classes.map((c) => c.totalPages), [3, 1], 'the small class took a page from the old one');
  });

  test('mode 0 evicts within the class and moves nothing', () => {
    const { store } = twoClasses(0);
    assert.equal((store.stats() as unknown as Record<string, number>).slabs_moved, 0);
    assert.equal(store.stats().evictions, 1);
    assert.deepEqual(store.sizeClassStats().classes.map((c) => c.totalPages), [2, 2]);
  });

  test('mode 1 moves a page too once the other class\'s tail is older by more than 1/0.8', () => {
    const { store } = twoClasses(1);
    assert.equal((store.stats() as unknown as Record<string, number>).slabs_moved, 1);
  });
});

describe('SlabStore chunked items', () => {
  test('a flood of values over the chunk maximum evicts whole items and never runs out of memory', () => {
    // Their data chunks fill classes whose own LRUs are empty: the owners are evicted from there.
    const { store, clock } = slabStore({ memoryBytes: 64 * MIB });
    const big = Buffer.alloc(700_000, 0x68);
    for (let i = 0; i < 300; i++) {
      clock.advance(1);
      assert.equal(store.store(StoreMode.Set, `huge${i}`, 0, 0, big).result, StoreResult.Stored, `set ${i}`);
    }
    assert.ok(store.stats().evictions > 100, 'the flood evicted');
    assert.ok(store.get('huge299')!.value.equals(big), 'the latest is whole');
    assert.equal(store.get('huge0'), undefined, 'the oldest went first');
    assert.deepEqual(auditSlabStore(store.buffer).problems, []);
  });

  test('a value above the chunk maximum round-trips through data chunks, and append and delete work on it', () => {
    const { store } = slabStore({ memoryBytes: 8 * MIB, maxItemSize: 4 * MIB });
    const big = Buffer.alloc(3 * MIB + 12345);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    assert.equal(store.store(StoreMode.Set, 'big', 7, 0, big).result, StoreResult.Stored);
    const back = store.get('big')!;
    assert.equal(back.flags, 7);
    assert.ok(back.value.equals(big), 'the value read back byte for byte');
    assert.equal(store.store(StoreMode.Append, 'big', 0, 0, bytes('tail')).result, StoreResult.Stored);
    assert.ok(store.get('big')!.value.equals(Buffer.concat([big, bytes('tail')])));
    assert.equal(store.store(StoreMode.Prepend, 'big', 0, 0, bytes('head')).result, StoreResult.Stored);
    assert.ok(store.get('big')!.value.equals(Buffer.concat([bytes('head'), big, bytes('tail')])));
    const used = store.sizeClassStats().classes.reduce((sum, c) => sum + c.usedChunks, 0);
    assert.ok(used >= 7, `a 3 MiB value takes at least six 512 KiB chunks and a header: ${used}`);
    assert.ok(store.delete('big'));
    assert.equal(store.sizeClassStats().classes.reduce((sum, c) => sum + c.usedChunks, 0), 0, 'every chunk freed');
    assert.equal(store.stats().bytes, 0);
  });

  test('append and prepend that carry a contiguous value past the chunk maximum keep every byte', () => {
    const { store } = slabStore({ memoryBytes: 8 * MIB, maxItemSize: 4 * MIB });
    const pattern = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * seed + 1) & 0xff));
    const start = pattern(400 * 1024, 7);
    const tail = pattern(300 * 1024, 13);
    const head = pattern(200 * 1024, 17);
    assert.equal(store.store(StoreMode.Set, 'grow', 3, 0, start).result, StoreResult.Stored);
    const contiguous = store.inspect('grow')!.sizeClass;
    assert.equal(store.store(StoreMode.Append, 'grow', 0, 0, tail).result, StoreResult.Stored);
    assert.notEqual(store.inspect('grow')!.sizeClass, contiguous, 'the grown value left its class for a chunked header');
    assert.ok(store.get('grow')!.value.equals(Buffer.concat([start, tail])), 'append: old bytes, then the new');
    assert.equal(store.store(StoreMode.Prepend, 'grow', 0, 0, head).result, StoreResult.Stored);
    const back = store.get('grow')!;
    assert.equal(back.flags, 3, 'the old flags stay');
    assert.ok(back.value.equals(Buffer.concat([head, start, tail])), 'prepend: the new bytes, then the old');
    assert.ok(store.delete('grow'));
    assert.equal(store.sizeClassStats().classes.reduce((sum, c) => sum + c.usedChunks, 0), 0, 'every chunk freed');
  });

  test('incr on a chunked value is non-numeric', () => {
    const { store } = slabStore({ memoryBytes: 4 * MIB, maxItemSize: 2 * MIB });
    store.store(StoreMode.Set, 'n', 0, 0, Buffer.alloc(MIB, 0x31));
    assert.equal(store.incrDecr('n', true, 1n).result, 'NON_NUMERIC');
  });
});

describe('SlabStore memory admin', () => {
  test('cache_memlimit lowers the limit live, taking pages back, and raises it again up to -m', () => {
    const { store, clock } = slabStore({ memoryBytes: 16 * MIB, automove: 0 });
    for (let i = 0; i < 16 * 1100; i++) {
      clock.advance(1);
      store.store(StoreMode.Set, `k${i}`, 0, 0, VALUE);
    }
    assert.equal(store.sizeClassStats().totalMalloced, 16 * MIB);
    assert.equal(store.admin.setMemoryLimit(4), 'TOO_SMALL');
    assert.equal(store.admin.setMemoryLimit(8), 'OK');
    assert.equal(store.stats().limit_maxbytes, 8 * MIB);
    assert.equal(store.sizeClassStats().totalMalloced, 8 * MIB, 'pages beyond the limit were taken back');
    const c = onlyClass(store);
    assert.equal(c.totalPages, 8);
    assert.ok(c.items! <= 8 * c.chunksPerPage!, 'what lived on the pages taken back was evicted');
    assert.equal(store.stats().curr_items, c.items);
    assert.equal(store.admin.setMemoryLimit(16), 'OK');
    assert.equal(store.stats().limit_maxbytes, 16 * MIB);
    // Past the memory the store was made with: its buffer grows, and the new pages fill.
    assert.equal(store.admin.setMemoryLimit(24), 'OK');
    assert.equal(store.stats().limit_maxbytes, 24 * MIB);
    for (let i = 0; store.sizeClassStats().totalMalloced < 24 * MIB && i < 40_000; i++) {
      clock.advance(1);
      assert.equal(store.store(StoreMode.Set, `late${i}`, 0, 0, VALUE).result, StoreResult.Stored);
    }
    assert.equal(store.sizeClassStats().totalMalloced, 24 * MIB, 'every page up to the new limit in use');
    assert.ok(store.buffer.byteLength > 24 * MIB, 'the buffer grew');
    assert.equal(store.admin.setMemoryLimit(4096), 'ADJUST_FAILED', 'past the largest store (2 GiB)');
  });

  test('slabs reassign moves a page and answers memcached\'s words', () => {
    const { store, clock } = slabStore({ memoryBytes: 8 * MIB, automove: 0 });
    for (let i = 0; i < 3 * 1100; i++) {
      clock.advance(1);
      store.store(StoreMode.Set, `k${i}`, 0, 0, VALUE);
    }
    const { id, totalPages } = onlyClass(store);
    assert.equal(store.admin.reassign(id, id), 'SAME');
    assert.equal(store.admin.reassign(id, 999), 'BADCLASS');
    assert.equal(store.admin.reassign(1, id), 'NOSPARE', 'class 1 has no page');
    assert.equal(store.admin.reassign(id, 1), 'OK');
    const classes = store.sizeClassStats().classes;
    assert.deepEqual(classes.map((c) => [c.id, c.totalPages]), [[1, 1], [id, totalPages! - 1]]);
    assert.equal(store.admin.reassign(1, 0), 'NOSPARE', 'a class keeps its last page');
    assert.equal(store.admin.reassign(id, 0), 'OK');
    assert.equal((store.stats() as unknown as Record<string, number>).slab_global_page_pool, 1);
    assert.equal(store.admin.reassign(0, 1), 'OK');
  });

  test('lru_crawler crawl reclaims expired items now and counts them', () => {
    const { store, clock } = slabStore();
    for (let i = 0; i < 10; i++) store.store(StoreMode.Set, `k${i}`, 0, i < 4 ? 1 : 0, VALUE);
    clock.advance(2000);
    assert.equal(store.admin.crawl([999]), false);
    assert.equal(store.admin.crawl('all'), true);
    const stats = store.stats() as unknown as Record<string, number>;
    assert.equal(stats.crawler_reclaimed, 4);
    assert.equal(stats.crawler_items_checked, 10);
    assert.equal(stats.curr_items, 6);
    assert.equal(onlyClass(store).crawlerReclaimed, 4);
  });
});

describe('SlabStore stats figures', () => {
  test('stats slabs and items: pages, chunks, requested bytes, the tail\'s age and the eviction\'s', () => {
    const { store, clock } = slabStore();
    const stored = fillUntilEviction(store, clock, 'k');
    clock.advance(5000);
    const c = onlyClass(store);
    assert.equal(c.totalPages, 1);
    assert.equal(c.totalChunks, c.chunksPerPage);
    assert.equal(c.chunksPerPage, Math.floor(MIB / c.chunkSize));
    assert.equal(c.usedChunks, c.items);
    assert.equal(c.items, stored, 'one item was evicted to make room for the last');
    assert.equal(c.freeChunks, c.totalChunks - c.usedChunks);
    assert.equal(c.memRequested, store.stats().bytes);
    assert.equal(c.age, 5, 'seconds since the tail (k1) was linked');
    assert.equal(c.evictedTime, 0, 'k0 was evicted a few ms after it was stored');
    const report = store.sizeClassStats();
    assert.equal(report.totalMalloced, MIB);
    const stats = store.stats() as unknown as Record<string, number>;
    assert.equal(stats.limit_maxbytes, MIB);
    assert.equal(stats.curr_items, stored);
    assert.equal(stats.total_items, stored + 1);
    store.resetStats();
    const after = onlyClass(store);
    assert.deepEqual([after.evicted, after.items, after.memRequested], [0, stored, c.memRequested], 'reset keeps the present, zeroes the events');
  });
});

