/**
 * What the cross-thread check of exercise 2.3 and its two worker threads share: the setup, the
 * messages, and the records themselves — numbered, of varied lengths, with bytes derived from
 * the number, so the reader can tell a lost, repeated, reordered or torn record from a good one.
 * @module
 */
import type { ErrorInfo } from './worker-errors.ts';

/** What each worker is given. */
export interface RingWorkerSetup {
  readonly implementation: string;
  readonly ring: SharedArrayBuffer;
  /** Both workers meet on this word before either starts its stall clock (meetOtherSide). */
  readonly start: SharedArrayBuffer;
  /** Where both sides log their steps, for the WakeupWatch that tells a lost wakeup from a stall. */
  readonly wakeups: SharedArrayBuffer;
  readonly role: 'write' | 'read';
  readonly records: number;
  /** A side that waits this long for the other to do anything calls it a stall (the check chooses it). */
  readonly stallMs: number;
}

/** Messages a worker posts. */
export type RingWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly received: number; readonly problem: string | null }
  | { readonly kind: 'error'; readonly error: ErrorInfo };

/** Record `n`: 4 bytes of its number, then 0–199 bytes that depend on it. */
export function recordFor(n: number): Uint8Array {
  // 7 and 200: coprime steps, so lengths cycle through every value and wrap at every alignment.
  const record = new Uint8Array(4 + ((n * 7) % 200));
  new DataView(record.buffer).setUint32(0, n);
  for (let i = 4; i < record.length; i++) record[i] = (n + i) & 0xff;
  return record;
}

/** Why `record` is not record `n`, or null when it is. */
export function problemWith(record: Uint8Array, n: number): string | null {
  const expected = recordFor(n);
  if (record.length < 4) return `record ${n}: only ${record.length} bytes arrived (expected ${expected.length})`;
  const number = new DataView(record.buffer, record.byteOffset, record.byteLength).getUint32(0);
  if (number !== n) return `record ${n} was expected next, but record ${number} arrived`;
  if (record.length !== expected.length) return `record ${n}: ${record.length} bytes arrived, ${expected.length} were pushed`;
  for (let i = 4; i < record.length; i++) {
    if (record[i] !== expected[i]) return `record ${n}: byte ${i} is ${record[i]}, ${expected[i]} was pushed`;
  }
  return null;
}
