/**
 * Phase 4's `--threads N` as a part: for N ≥ 2, phase 2's assembly serves in N loop threads
 * (loop-group.ts) instead of the main thread's loop; for 1 it changes nothing.
 * The guide: [Phase 4 — threads](../../../docs/phase4-threads.md).
 * @module
 */
import type { LoopsChoice } from '../../phase2/server.ts';
import { LoopGroup } from './loop-group.ts';

/** The loops `threads` asks for, or undefined for the main thread's loop alone. */
export function threadsPart(threads: number): LoopsChoice | undefined {
  if (threads < 2) return undefined;
  return { count: threads, serve: (shared, parts) => LoopGroup.start(threads, shared, parts) };
}
