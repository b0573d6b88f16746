/**
 * The slab store's locks (memcached's `item_locks` and its slabs/LRU locks): instead of one lock
 * for everything, a command on one key takes only the lock of its key's **stripe** — one of up to
 * MAX_STRIPES (slab-layout.ts) lock words, chosen by the key's hash — so threads working on different keys
 * run side by side. What every key shares (the allocator, the LRUs, the class records, the CAS
 * counter) sits under one more lock, the **allocation lock**, held only for the short part of a
 * command that touches it.
 *
 *   get k    stripe(k) ─────────────────────── read the item ───────────── release
 *   set k    stripe(k) ── find old ── [allocation: reserve] ── copy value ── [allocation: commit] ── release
 *
 * The rules that keep it deadlock-free and correct (docs/phase4-threads.md, "Striped locks"):
 * - A stripe covers whole hash buckets (stripe = hash & (stripes − 1), and there are no more
 *   stripes than buckets), so a chain is only walked or relinked by the holder of its stripe,
 *   and an item's fields are only written by the holder of its stripe.
 * - Order: a stripe, then the allocation lock — never the other way round. Code that holds the
 *   allocation lock and needs an item it does not own (eviction, reclaiming, a page move) asks
 *   with {@link SlabLocks.tryItem}, which never waits; a busy item is skipped, as memcached's
 *   `lru_pull_tail` skips an item whose lock it cannot try-lock.
 * - A command on the whole store (flush_all, stats, the memory admin commands) takes every
 *   stripe, in order, and then the allocation lock: nothing else runs while it does.
 *
 * One `SlabLocks` per thread (each thread attaches its own store object): it remembers which
 * stripe this thread holds, and how deep it is in the allocation lock, so the allocation lock can
 * be entered again by a method that already runs under it.
 * @module
 */
import { AtomicsLock } from '../../../shared/store/atomics-lock.ts';
import { ITEM_HASH, LOCK } from '../../../shared/store/layout.ts';
import type { StoreMemory } from '../../../shared/store/store-memory.ts';
import { ITEM_LOCKS, SLAB_STRIPE_MASK } from './slab-layout.ts';

/**
 * {@link SlabLocks.tryItem}'s answer when another thread holds the item's stripe: leave the item
 * alone. Any other answer is a claim on the item, given back with {@link SlabLocks.releaseItem}.
 */
export const ITEM_BUSY = -1;
/** {@link SlabLocks.tryItem}'s claim when this thread already holds the item's stripe. */
const ALREADY_HELD = -2;

/** How many times {@link SlabLocks.claimItemSoon} asks again: a few microseconds in all. */
const BRIEF_WAIT_SPINS = 2000;

/** `held` when this thread holds no stripe. */
const NO_STRIPE = -1;
/** `held` when this thread holds every stripe (a whole-store command). */
const ALL_STRIPES = -2;

/** The stripes and the allocation lock of one slab store, as seen from one thread. */
export class SlabLocks {
  private readonly mem: StoreMemory;
  private readonly stripes: AtomicsLock[];
  private readonly mask: number;
  private readonly allocation: AtomicsLock;
  /** The stripe this thread holds for its command, or NO_STRIPE / ALL_STRIPES. */
  private held = NO_STRIPE;
  /** How many times this thread has entered the allocation lock without leaving it. */
  private depth = 0;

  constructor(mem: StoreMemory, base: number) {
    this.mem = mem;
    this.mask = mem.u32(base + SLAB_STRIPE_MASK);
    const first = (base + ITEM_LOCKS) >>> 2;
    this.stripes = Array.from({ length: this.mask + 1 }, (_, stripe) => new AtomicsLock(mem.i32, first + stripe));
    // SharedStore's one lock word becomes the allocation lock: the header keeps its meaning of
    // "the lock over what every key shares".
    this.allocation = new AtomicsLock(mem.i32, LOCK >>> 2);
  }

  /** Number of stripes. */
  get stripeCount(): number {
    return this.mask + 1;
  }

  // ───────────── A command on one key ─────────────

  /** Takes the stripe of the key whose hash is `hash`. */
  lockKey(hash: number): void {
    const stripe = hash & this.mask;
    this.stripes[stripe]!.lock();
    this.held = stripe;
    // The buffer grows only under every lock (cache_memlimit): taking one, map what was added.
    this.mem.follow();
  }

  /** Gives back the stripe {@link SlabLocks.lockKey} took. */
  unlockKey(hash: number): void {
    this.held = NO_STRIPE;
    this.stripes[hash & this.mask]!.unlock();
  }

  // ───────────── A command on the whole store ─────────────

  /** Takes every stripe in order, then the allocation lock: the store is this thread's alone. */
  lockAll(): void {
    for (const stripe of this.stripes) stripe.lock();
    this.held = ALL_STRIPES;
    this.enterAllocation();
    this.mem.follow();
  }

  /** Gives back what {@link SlabLocks.lockAll} took. */
  unlockAll(): void {
    this.leaveAllocation();
    this.held = NO_STRIPE;
    for (let stripe = this.stripes.length - 1; stripe >= 0; stripe--) this.stripes[stripe]!.unlock();
  }

  // ───────────── The allocation lock ─────────────

  /** Enters the allocation lock (again, if this thread is already in it). */
  enterAllocation(): void {
    if (this.depth++ === 0) this.allocation.lock();
  }

  /** Leaves it; the lock is released when the outermost entry leaves. */
  leaveAllocation(): void {
    if (--this.depth === 0) this.allocation.unlock();
  }

  // ───────────── An item this thread does not own ─────────────

  /**
   * Asks, without waiting, for the stripe of `item` (a linked item, whose hash is in its header).
   * Called under the allocation lock, where waiting for a stripe could deadlock with a thread that
   * holds that stripe and waits for the allocation lock. Returns {@link ITEM_BUSY}, or a claim:
   * the stripe taken now, or a mark that this thread held it already (the item shares the
   * command's stripe, or every stripe is held).
   */
  tryItem(item: number): number {
    const stripe = this.mem.u32(item + ITEM_HASH) & this.mask;
    if (this.held === ALL_STRIPES || this.held === stripe) return ALREADY_HELD;
    return this.stripes[stripe]!.tryLock() ? stripe : ITEM_BUSY;
  }

  /**
   * {@link SlabLocks.tryItem}, retried for a moment when the stripe is busy: for a page move, which
   * must free every item of its page. A get holds its stripe for about a microsecond, so a short
   * wait usually wins; a holder that waits for the allocation lock (which this thread holds) never
   * lets go, and the bounded wait then answers {@link ITEM_BUSY}.
   */
  claimItemSoon(item: number): number {
    let claim = this.tryItem(item);
    for (let spin = 0; claim === ITEM_BUSY && spin < BRIEF_WAIT_SPINS; spin++) claim = this.tryItem(item);
    return claim;
  }

  /**
   * Gives back a claim from {@link SlabLocks.tryItem} — the stripe itself, not the item, which may
   * have been freed meanwhile. A stripe this thread held already stays held.
   */
  releaseItem(claim: number): void {
    if (claim >= 0) this.stripes[claim]!.unlock();
  }
}
