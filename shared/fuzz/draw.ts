/**
 * The fuzzer's source of choices: one seeded generator (the conformance suite's mulberry32) behind
 * the few shapes of draw the generators need. Every session gets its own generator, derived from the
 * run's seed and the session's number, so a session's bytes do not depend on which connection sent
 * it or on how the others were scheduled.
 * @module
 */
import { deriveSeed, seededRandom } from '../conformance/seeded-random.ts';

/** Seeded choices: integers, coin flips, picks and bytes. */
export class Draw {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = seededRandom(seed);
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.#next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** One value of a `[weight, value]` table, in proportion to the weights. */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [weight] of table) total += weight;
    let point = this.#next() * total;
    for (const [weight, value] of table) {
      point -= weight;
      if (point < 0) return value;
    }
    return table[table.length - 1]![1];
  }

  /** An unsigned 32-bit integer. */
  uint32(): number {
    return Math.floor(this.#next() * 2 ** 32) >>> 0;
  }

  /** `length` random bytes. */
  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.#next() * 256);
    return out;
  }
}

/** The generator of session `index` of a run seeded with `seed`. */
export function sessionDraw(seed: number, index: number): Draw {
  return new Draw(deriveSeed(seed, index));
}
