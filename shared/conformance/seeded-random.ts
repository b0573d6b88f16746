/**
 * A small seeded pseudo-random generator (mulberry32: one 32-bit state, a multiply-xorshift mix per
 * draw). Random split points must be reproducible: a failure names its seed and rerunning with
 * that seed cuts the bytes at the same places.
 * @module
 */

/** Returns a function that yields numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // The constants are mulberry32's: an odd Weyl increment, then two multiply-xorshift rounds.
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Mixes a base seed with a case number so every case gets its own reproducible sequence. */
export function deriveSeed(base: number, caseNumber: number): number {
  // 0x9e3779b9 is 2^32 divided by the golden ratio: it spreads consecutive case numbers apart.
  return (base ^ Math.imul(caseNumber + 1, 0x9e3779b9)) >>> 0;
}
