/**
 * What one fuzz session sends, decided before it connects and from its own seeded generator: how
 * many frames (fewer when one makes the server hang up or declares more than a sync can cover),
 * the bytes, where the stream is cut into separate writes, and how it ends —
 * a sync that proves the server still answers, a disconnect in the middle of a frame, or a plain
 * close when the last frame declared more than a sync could cover. The planner hands out session
 * numbers and frame counts in order, so the same seed always yields the same sessions whichever
 * connection runs them.
 * @module
 */
import { type Draw, sessionDraw } from './draw.ts';
import type { FuzzProtocol } from './fuzz-protocol.ts';

/** How the client closes the socket: FIN and wait for the server's, at once, or with a reset. */
export type CloseKind = 'end' | 'destroy' | 'reset';

/** How the session ends. */
export type SessionEnding = 'sync' | 'disconnect' | 'unsynced';

/** One session, ready to run. */
export interface SessionPlan {
  readonly index: number;
  /** Frames in the stream (a frame cut by a disconnect counts). */
  readonly frames: number;
  readonly stream: Buffer;
  /** Offsets where the stream is split into separate writes, ascending, inside the stream. */
  readonly cuts: readonly number[];
  readonly ending: SessionEnding;
  /** Padding and probe, for a `sync` ending. */
  readonly sync: Buffer | null;
  /** Bytes the probe's reply contains. */
  readonly marker: Buffer;
  readonly close: CloseKind;
}

/** The frame count a session asks for: often a handful, sometimes one, sometimes dozens pipelined. */
function drawFrameCount(draw: Draw): number {
  return draw.weighted<() => number>([[10, () => 1], [50, () => draw.int(2, 8)], [40, () => draw.int(9, 64)]])();
}

/** Write boundaries: none, a few, many, or one byte at a time over a stretch. */
function drawCuts(draw: Draw, length: number): number[] {
  if (length < 2) return [];
  const cuts = new Set<number>();
  const style = draw.weighted([[55, 'none'], [30, 'few'], [10, 'many'], [5, 'bytes']] as const);
  const count = style === 'few' ? draw.int(1, 3) : style === 'many' ? draw.int(4, 16) : 0;
  for (let i = 0; i < count; i++) cuts.add(draw.int(1, length - 1));
  if (style === 'bytes') {
    const start = draw.int(1, length - 1);
    // 48 single-byte writes at most: enough to split any header or command word byte by byte.
    for (let at = start; at < Math.min(length, start + 48); at++) cuts.add(at);
  }
  return [...cuts].sort((a, b) => a - b);
}

/**
 * Hands out sessions in order until the run's frame budget is spent. A session that ends early
 * (after a hopeless frame) returns its unused frames to the budget, and that too depends only on
 * the seed.
 */
export class SessionPlanner {
  readonly #seed: number;
  readonly #protocol: FuzzProtocol;
  #remaining: number;
  #next = 0;

  constructor(seed: number, frames: number, protocol: FuzzProtocol) {
    this.#seed = seed;
    this.#remaining = frames;
    this.#protocol = protocol;
  }

  /** The next session, or null when the budget is spent. */
  next(): SessionPlan | null {
    if (this.#remaining <= 0) return null;
    const index = this.#next++;
    const plan = planSession(this.#seed, index, this.#remaining, this.#protocol);
    this.#remaining -= plan.frames;
    return plan;
  }

  /** Session `index`, as {@link next} would hand it out (for replaying one session), or null. */
  seek(index: number): SessionPlan | null {
    for (;;) {
      const plan = this.next();
      if (plan === null || plan.index === index) return plan;
    }
  }
}

/** Builds session `index` of a run seeded with `seed`, at most `budget` frames long. */
export function planSession(seed: number, index: number, budget: number, protocol: FuzzProtocol): SessionPlan {
  const draw = sessionDraw(seed, index);
  const frames = Math.min(budget, drawFrameCount(draw));
  const tracker = protocol.session();
  const parts: Buffer[] = [];
  for (let i = 0; i < frames && tracker.state === 'open'; i++) parts.push(tracker.frame(draw));
  let ending: SessionEnding = tracker.state === 'hopeless' ? 'unsynced' : 'sync';
  let stream = Buffer.concat(parts);
  if (ending === 'sync' && draw.chance(0.12)) {
    ending = 'disconnect';
    const last = parts[parts.length - 1]!;
    const lastStart = stream.length - last.length;
    // Inside the last frame: at least its first byte sent and at least its last byte not.
    stream = stream.subarray(0, last.length < 2 ? lastStart : draw.int(lastStart + 1, stream.length - 1));
  }
  const sealed = tracker.seal(stream, draw);
  if (ending === 'sync' && sealed.sync === null) ending = 'unsynced';
  const close = draw.weighted([[40, 'end'], [40, 'destroy'], [20, 'reset']] as const);
  return {
    index,
    frames: parts.length,
    stream: sealed.stream,
    cuts: drawCuts(draw, sealed.stream.length),
    ending,
    sync: ending === 'sync' ? sealed.sync : null,
    marker: sealed.marker,
    close,
  };
}
