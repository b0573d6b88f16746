/**
 * Exercise 1.4 — a mutex built on Atomics: one Int32 in a SharedArrayBuffer that every worker
 * thread shares, taken with compareExchange and slept on with Atomics.wait. The whole store is
 * guarded by one of these. Stands in for shared/store/atomics-lock.ts.
 * @module
 */
import { todo } from '../../shared/course/todo.ts';

/**
 * The three values the lock word takes. "Locked" and "Contended" are told apart so that an unlock
 * with nobody waiting can skip Atomics.notify, a system call (Drepper, "Futexes Are Tricky").
 */
export const LockState = {
  Free: 0,
  Locked: 1,
  Contended: 2,
} as const;

/** A non-reentrant mutex over `cells[index]`; each thread builds its own over the same slot. */
export class AtomicsLock {
  private readonly cells: Int32Array;
  private readonly index: number;

  constructor(cells: Int32Array, index: number) {
    this.cells = cells;
    this.index = index;
  }

  /**
   * TODO: block until this thread holds the lock. Fast path: compareExchange Free → Locked. If the
   * lock was taken, set the word to Contended with Atomics.exchange (exchange, not store: the owner
   * may unlock in between) and, while what you got back is not Free, Atomics.wait while the word
   * reads Contended, then exchange again. Why Contended: it tells unlock() someone must be woken.
   */
  lock(): void {
    todo('lock', this.cells, this.index);
  }

  /** TODO: take the lock only if it is free (one compareExchange); return whether it was taken. */
  tryLock(): boolean {
    return todo('tryLock');
  }

  /**
   * TODO: set the word to Free with Atomics.exchange. If it was Contended, Atomics.notify one
   * sleeper; if it was already Free, throw an Error — unlocking a lock nobody holds is a bug.
   */
  unlock(): void {
    todo('unlock');
  }

  /** Runs `critical` with the lock held, and releases it even if `critical` throws. */
  withLock<T>(critical: () => T): T {
    this.lock();
    try {
      return critical();
    } finally {
      this.unlock();
    }
  }
}
