/**
 * The two wire protocols the fuzzer speaks, behind one interface. A session asks its protocol for
 * a stream tracker, which makes each next frame (safe to send: no Flush, a first byte that picks
 * the protocol meant), says whether the session can go on, and computes the final sync.
 * @module
 */
import { binaryFrame } from './binary-frames.ts';
import { BinaryWalker, forceBinaryFirstByte, sealBinaryStream } from './binary-sync.ts';
import type { Draw } from './draw.ts';
import { MAX_SYNC_PADDING, type SealedStream } from './session-seal.ts';
import { textFrame } from './text-frames.ts';
import { forceTextFirstByte, sealTextStream, textPendingBytes, textProbe } from './text-sync.ts';

/** The protocols, by their command-line names. */
export const FUZZ_PROTOCOLS = ['text', 'binary'] as const;
/** One of {@link FUZZ_PROTOCOLS}. */
export type FuzzProtocolName = (typeof FUZZ_PROTOCOLS)[number];

/**
 * Where a session's stream stands: `open` (more frames are worth sending), `closes` (the server
 * will hang up: later frames would be ignored), `hopeless` (a declared length beyond any sync, or
 * servers that may no longer agree on the framing).
 */
export type StreamState = 'open' | 'closes' | 'hopeless';

/** One session's frames, in order. */
export interface StreamTracker {
  /** The next frame, made safe to send. */
  frame(draw: Draw): Buffer;
  readonly state: StreamState;
  /** The sync for the session's `stream` (all its frames, perhaps cut short by a disconnect). */
  seal(stream: Buffer, draw: Draw): SealedStream;
}

/** One protocol's frames and sync. */
export interface FuzzProtocol {
  readonly name: FuzzProtocolName;
  /** A tracker for a new session. */
  session(): StreamTracker;
}

function textTracker(syncValue: string): StreamTracker {
  const probe = textProbe(syncValue);
  let first = true;
  let state: StreamState = 'open';
  return {
    get state() {
      return state;
    },
    frame(draw) {
      const frame = Buffer.from(textFrame(draw));
      // The first byte the server sees: the first byte of the first frame that is not empty.
      if (first) forceTextFirstByte(frame);
      first &&= frame.length === 0;
      // Judged per frame: a declared length past the padding limit is hopeless wherever it sits.
      if (textPendingBytes(frame) === null) state = 'hopeless';
      return frame;
    },
    seal: (stream) => sealTextStream(stream, probe),
  };
}

function binaryTracker(): StreamTracker {
  const walker = new BinaryWalker();
  let first = true;
  let state: StreamState = 'open';
  return {
    get state() {
      return state;
    },
    frame(draw) {
      const frame = Buffer.from(binaryFrame(draw));
      if (first) forceBinaryFirstByte(frame);
      first &&= frame.length === 0;
      walker.feed(frame);
      if (walker.closes) state = 'closes';
      else if (walker.ambiguous || walker.pending > MAX_SYNC_PADDING) state = 'hopeless';
      return frame;
    },
    seal: (stream, draw) => sealBinaryStream(stream, draw.uint32()),
  };
}

/** The protocol named `name`; `syncValue` is the value stored under the sync key for text probes. */
export function fuzzProtocol(name: FuzzProtocolName, syncValue: string): FuzzProtocol {
  return { name, session: () => (name === 'text' ? textTracker(syncValue) : binaryTracker()) };
}
