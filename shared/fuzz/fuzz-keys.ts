/**
 * The keys and values the frame generators use. Fuzz frames touch a small pool of short keys, so
 * storage, arithmetic and deletes collide often enough to reach every store path; the canary and
 * sync keys are long names no pool key can become through a few byte mutations, so fuzzing never
 * legitimately changes them.
 * @module
 */
import type { Draw } from './draw.ts';
import { MAX_KEY_LENGTH } from '../protocol/limits.ts';

/** Sixteen keys: few enough to collide, many enough to spread over a hash table's buckets. */
const POOL = Array.from({ length: 16 }, (_, i) => `fz:${i.toString(16)}`);

/** The key the canary value is stored under (one clean connection reads it back). */
export const CANARY_KEY = 'kvlab-fuzz-canary-key-never-touched-by-frames';

/** The key whose value a text fuzz connection asks for to prove the server still answers it. */
export const SYNC_KEY = 'kvlab-fuzz-sync-key-never-touched-by-frames';

/** A pool key, or now and then one at or just past the key length limit. */
export function fuzzKey(draw: Draw): string {
  return draw.weighted<() => string>([
    [96, () => draw.pick(POOL)],
    [2, () => 'k'.repeat(MAX_KEY_LENGTH)],
    [2, () => 'k'.repeat(draw.int(MAX_KEY_LENGTH + 1, MAX_KEY_LENGTH + 40))],
  ])();
}

/**
 * A value length: mostly small, sometimes a few KiB, rarely above 64 KiB (more than one socket
 * read, so a server sees a value arrive across many chunks while it may pause the connection).
 */
export function valueLength(draw: Draw): number {
  return draw.weighted<() => number>([
    [85, () => draw.int(0, 100)],
    [14, () => draw.int(101, 4096)],
    [1, () => draw.int(64 * 1024, 160 * 1024)],
  ])();
}

/** A value of `length` printable bytes, sometimes a decimal number (for incr and decr to find). */
export function valueBytes(draw: Draw, length: number): Buffer {
  if (length > 0 && length <= 20 && draw.chance(0.3)) return Buffer.from(String(draw.int(0, 10 ** Math.min(length, 15) - 1)).slice(0, length), 'latin1');
  // One byte repeated is enough for the server: it copies value bytes without looking at them.
  return Buffer.alloc(length, 0x61 + draw.int(0, 25));
}
