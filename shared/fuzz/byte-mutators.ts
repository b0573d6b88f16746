/**
 * Protocol-blind mutations of one frame: bit flips, bytes replaced by values parsers trip on,
 * truncation, ranges deleted, duplicated or filled with noise. The frame generators apply them to
 * well-formed requests, so most mutants stay close enough to valid to reach deep parser states.
 * @module
 */
import type { Draw } from './draw.ts';

/** One mutation: a new buffer from the old (the input is never changed in place). */
export type Mutator = (frame: Buffer, draw: Draw) => Buffer;

/**
 * Bytes that mean something to one of the parsers: NUL, CR, LF, space, the binary request and
 * response magics, the sign and digit characters of length fields, and the extremes of a byte.
 */
const INTERESTING_BYTES = [0x00, 0x0d, 0x0a, 0x20, 0x80, 0x81, 0x2d, 0x30, 0x39, 0x7f, 0xff] as const;

/**
 * Mutants grow at most this far past their original (or 64 KiB, whichever is larger), so a
 * duplicated range cannot snowball across rounds.
 */
export const MAX_MUTANT_LENGTH = 64 * 1024;

const flipBits: Mutator = (frame, draw) => {
  if (frame.length === 0) return frame;
  const out = Buffer.from(frame);
  const flips = draw.int(1, 4);
  for (let i = 0; i < flips; i++) {
    const at = draw.int(0, out.length - 1);
    out[at] = out[at]! ^ (1 << draw.int(0, 7));
  }
  return out;
};

const interestingByte: Mutator = (frame, draw) => {
  if (frame.length === 0) return frame;
  const out = Buffer.from(frame);
  out[draw.int(0, out.length - 1)] = draw.pick(INTERESTING_BYTES);
  return out;
};

const truncate: Mutator = (frame, draw) => frame.subarray(0, draw.int(0, Math.max(0, frame.length - 1)));

const deleteRange: Mutator = (frame, draw) => {
  if (frame.length < 2) return frame;
  const start = draw.int(0, frame.length - 1);
  const end = Math.min(frame.length, start + draw.int(1, 16));
  return Buffer.concat([frame.subarray(0, start), frame.subarray(end)]);
};

const duplicateRange: Mutator = (frame, draw) => {
  if (frame.length === 0) return frame;
  const start = draw.int(0, frame.length - 1);
  const end = Math.min(frame.length, start + draw.int(1, 32));
  const copies = draw.int(1, 8);
  const range = frame.subarray(start, end);
  return Buffer.concat([frame.subarray(0, end), ...Array<Buffer>(copies).fill(range), frame.subarray(end)]);
};

const insertNoise: Mutator = (frame, draw) => {
  const at = draw.int(0, frame.length);
  return Buffer.concat([frame.subarray(0, at), draw.bytes(draw.int(1, 16)), frame.subarray(at)]);
};

/** Every mutator, by name (the name appears in unit tests and nowhere on the wire). */
export const BYTE_MUTATORS: Readonly<Record<string, Mutator>> = {
  flipBits, interestingByte, truncate, deleteRange, duplicateRange, insertNoise,
};

const MUTATOR_LIST = Object.values(BYTE_MUTATORS);

/** Applies one to three random mutations; the result is capped as {@link MAX_MUTANT_LENGTH} says. */
export function mutate(frame: Buffer, draw: Draw): Buffer {
  let out = frame;
  const rounds = draw.int(1, 3);
  for (let i = 0; i < rounds; i++) out = draw.pick(MUTATOR_LIST)(out, draw);
  const cap = Math.max(MAX_MUTANT_LENGTH, frame.length);
  return out.length > cap ? out.subarray(0, cap) : out;
}
