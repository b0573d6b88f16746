/**
 * Phase 4's `--threads N` as a part: for N ≥ 2, phase 2's assembly serves in N loop threads
 * (loop-group.ts) instead of the main thread's loop; for 1 it changes nothing. Each loop builds the
 * TLS listener and the authentication door it is given the setup of, and `tell` passes a reload
 * made on the main thread on to every loop.
 * The guide: [Phase 4 — threads](../../../docs/phase4-threads.md).
 * @module
 */
import type { LoopsChoice } from '../../phase2/server.ts';
import { LoopGroup, type LoopParts } from './loop-group.ts';
import type { LoopNotice } from './loop-messages.ts';

/** The part: the loops to serve in, and how to reach them once they run. */
export interface ThreadsPart {
  /** The loops `threads` asks for, or undefined for the main thread's loop alone. */
  readonly loops: LoopsChoice | undefined;
  /** Tells every running loop of a reload; nothing before the loops run, or without loops. */
  tell(notice: LoopNotice): void;
}

/** The part for `threads` loops, each building `loopParts` for itself. */
export function threadsPart(threads: number, loopParts: LoopParts): ThreadsPart {
  if (threads < 2) return { loops: undefined, tell: () => undefined };
  let group: LoopGroup | null = null;
  return {
    loops: {
      count: threads,
      serve: async (shared, parts) => {
        group = await LoopGroup.start(threads, shared, parts, loopParts);
        return group;
      },
    },
    tell: (notice) => group?.tell(notice),
  };
}
