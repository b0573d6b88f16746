/**
 * A mutex on one Int32 slot of a SharedArrayBuffer, usable from every thread that shares the buffer.
 * Algorithm: the three-state futex mutex (Drepper, "Futexes Are Tricky", mutex 2): a free lock is
 * taken with one compareExchange and no system call; a thread that must wait spins briefly, then
 * sleeps in Atomics.wait until an unlock wakes it with Atomics.notify.
 * @module
 */

/**
 * The three values the lock word takes. Distinguishing "locked" from "locked with waiters" lets an
 * uncontended unlock skip Atomics.notify, which is a system call (futex wake) even when nobody sleeps.
 */
export const LockState = {
  Free: 0,
  Locked: 1,
  Contended: 2,
} as const;

/**
 * How many times lock() re-reads a taken lock word before going to sleep. A store operation holds
 * the lock for about 1 µs, roughly the time of 500 reads, so a waiter that spins that long usually
 * gets the lock without paying for a sleep and a wake (two system calls, and a scheduler round
 * trip). Measured with `npm run bench:lock` (store ops/s, all threads): on 16 cores, 4 workers
 * 345k → 655k and 8 workers 294k → 549k; on 2 cores, 2 workers 640k → 1.06M, 4 workers unchanged.
 */
const SPIN_LIMIT = 500;

/**
 * A non-reentrant mutex over `cells[index]`. Every thread builds its own `AtomicsLock` over the same
 * shared slot; the slot is the lock. Works on Node's main thread too: Node, unlike browsers, lets
 * the main thread block in Atomics.wait.
 *
 * Memory ordering: every Atomics operation in JavaScript is sequentially consistent, and a
 * successful lock() synchronizes with the unlock() that freed the word. So the plain (non-atomic)
 * typed-array writes one thread makes inside its critical section are visible to the next thread
 * that takes the lock — which is what lets the store use ordinary reads and writes under it.
 */
export class AtomicsLock {
  private readonly cells: Int32Array;
  private readonly index: number;

  /**
   * @param cells - an Int32Array over a SharedArrayBuffer
   * @param index - the element that holds the lock word; it must start at {@link LockState.Free}
   */
  constructor(cells: Int32Array, index: number) {
    this.cells = cells;
    this.index = index;
  }

  /** Blocks until this thread holds the lock. Taking it twice from one thread deadlocks. */
  lock(): void {
    // Fast path: free → locked. compareExchange is an atomic read-modify-write: exactly one of the
    // threads racing here sees Free come back and owns the lock; it acts as the acquire barrier.
    let state = Atomics.compareExchange(this.cells, this.index, LockState.Free, LockState.Locked);
    if (state === LockState.Free) return;

    // Spin: the owner is probably running on another core and about to unlock. Spin on reads
    // (Atomics.load), which leave the cache line shared, and try compareExchange only when the
    // word reads Free, so spinners do not slow the owner down by pulling the line away from it.
    for (let spin = 0; spin < SPIN_LIMIT; spin++) {
      if (Atomics.load(this.cells, this.index) === LockState.Free) {
        state = Atomics.compareExchange(this.cells, this.index, LockState.Free, LockState.Locked);
        if (state === LockState.Free) return;
      }
    }

    // Sleep. Mark the word Contended first, so the owner's unlock() knows to wake us. exchange
    // (not store) because the owner may unlock between our read and our write: if what comes
    // back is Free, the lock is ours (held as Contended — harmless, it costs one spare notify).
    // `state` may be stale here; every value is handled: a stale Contended sends us to wait(),
    // which returns at once if the word has meanwhile become Free.
    if (state !== LockState.Contended) state = Atomics.exchange(this.cells, this.index, LockState.Contended);
    while (state !== LockState.Free) {
      // Sleep only while the word still reads Contended: wait() compares and sleeps atomically, so
      // a notify that lands between our exchange and this call is not lost — wait returns at once.
      Atomics.wait(this.cells, this.index, LockState.Contended);
      // Woken (or the word changed): try again, and keep the word Contended, because other threads
      // may still be asleep behind us and the next unlock must wake one of them.
      state = Atomics.exchange(this.cells, this.index, LockState.Contended);
    }
  }

  /** Takes the lock if it is free, without waiting. Returns whether it was taken. */
  tryLock(): boolean {
    return Atomics.compareExchange(this.cells, this.index, LockState.Free, LockState.Locked) === LockState.Free;
  }

  /** Releases the lock; wakes one sleeping thread if any announced itself. */
  unlock(): void {
    // exchange is the release barrier: our critical section's writes happen-before any later
    // acquire. Returning the old value tells us in the same step whether anyone is waiting.
    const previous = Atomics.exchange(this.cells, this.index, LockState.Free);
    if (previous === LockState.Contended) {
      // Wake exactly one sleeper: waking all would only make them fight for the word again.
      Atomics.notify(this.cells, this.index, 1);
    } else if (previous === LockState.Free) {
      throw new Error('AtomicsLock.unlock(): the lock was not held');
    }
  }

  /**
   * Runs `critical` with the lock held and releases it even if `critical` throws. Convenient, but a
   * closure per call: hot paths call lock()/unlock() around a try/finally instead.
   */
  withLock<T>(critical: () => T): T {
    this.lock();
    try {
      return critical();
    } finally {
      this.unlock();
    }
  }
}
