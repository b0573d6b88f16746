/** What atomics-lock.test.ts and its worker (lock-worker.ts) agree on. */

/** What the test sends each worker. */
export interface LockWorkerData {
  readonly cells: Int32Array;
  readonly mode: 'count' | 'hold' | 'take';
  readonly times?: number;
  readonly holdMs?: number;
}

/** Cell 0 is the lock word; cell 1 the counter; cell 2 the marker; cell 3 a start gate. */
export const CELL = { lock: 0, counter: 1, marker: 2, gate: 3 } as const;
