/**
 * How a test's bytes reach the server: in one write, one byte per write, or cut at seeded random
 * points. A server must answer the same whichever way the bytes arrive, because TCP keeps no
 * message boundaries; each transcript is therefore played in all three framings.
 * @module
 */

/** The three ways of writing a transcript's bytes. */
export const Framing = {
  /** Each step's bytes in a single write. */
  Whole: 'whole',
  /** One byte per write (for long payloads, see {@link BYTEWISE_EDGE}). */
  Bytewise: 'bytewise',
  /** Cut at seeded random points. */
  Random: 'random',
} as const;
export type Framing = (typeof Framing)[keyof typeof Framing];

/** Every framing, in the order the suite plays them. */
export const ALL_FRAMINGS: readonly Framing[] = Object.values(Framing);

/**
 * Beyond twice this many bytes, bytewise framing writes only the first and last BYTEWISE_EDGE
 * bytes one at a time and the middle in one piece: the command line and the data terminator are
 * where parsers go wrong, and a million one-byte writes of a 1 MiB value would take minutes.
 */
export const BYTEWISE_EDGE = 2048;

/** Cuts `bytes` into the pieces that `framing` writes; `random` is used only by Framing.Random. */
export function cutForFraming(bytes: Buffer, framing: Framing, random: () => number): Buffer[] {
  if (bytes.length <= 1 || framing === Framing.Whole) return [bytes];
  if (framing === Framing.Bytewise) return cutBytewise(bytes);
  return cutAtRandom(bytes, random);
}

function cutBytewise(bytes: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  const long = bytes.length > 2 * BYTEWISE_EDGE;
  const headEnd = long ? BYTEWISE_EDGE : bytes.length;
  for (let i = 0; i < headEnd; i++) pieces.push(bytes.subarray(i, i + 1));
  if (!long) return pieces;
  const tailStart = bytes.length - BYTEWISE_EDGE;
  pieces.push(bytes.subarray(headEnd, tailStart));
  for (let i = tailStart; i < bytes.length; i++) pieces.push(bytes.subarray(i, i + 1));
  return pieces;
}

function cutAtRandom(bytes: Buffer, random: () => number): Buffer[] {
  // Pieces of 1 to a quarter of the length: about eight cuts per step whatever its size, small
  // enough that cuts often fall inside a CRLF or a number.
  const largest = Math.max(2, Math.ceil(bytes.length / 4));
  const pieces: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    const end = Math.min(bytes.length, start + 1 + Math.floor(random() * largest));
    pieces.push(bytes.subarray(start, end));
    start = end;
  }
  return pieces;
}
