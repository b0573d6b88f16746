/**
 * What the checks of exercise 1.4 and their worker threads share: the slots of the shared
 * Int32Array, the setup each worker gets, and the messages it posts back.
 * @module
 */
import type { ErrorInfo } from './worker-errors.ts';

/** What the check hands each worker. */
export interface LockWorkerSetup {
  readonly implementation: string;
  readonly cells: Int32Array;
  readonly role: 'count' | 'wait';
  readonly iterations: number;
  readonly workers: number;
}

/** Slots of the shared Int32Array. */
export const LockSlot = {
  /** The lock word. */
  LOCK: 0,
  /** The counter the `count` workers increment. */
  COUNTER: 1,
  /** How many `count` workers have arrived; they all start once the last one does. */
  ARRIVED: 2,
  /** Set to 1 by the `wait` worker once it holds the lock. */
  ACQUIRED: 3,
} as const;

/** Messages a worker posts. */
export type LockWorkerMessage =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'acquired' }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly error: ErrorInfo };
