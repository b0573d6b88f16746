/**
 * Alternating rounds (`--rounds N`): on a machine shared with other work, a target measured while
 * the rest of the machine happened to pause looks fast. With rounds, every target's throughput pass
 * runs once per round, the targets taking turns (A B A B …), so each round's ratio compares two
 * passes seconds apart; the ratio reported is the median of the rounds' ratios, and each target's
 * figures are those of its median round.
 * @module
 */
import type { GeneratorUsage } from './generator-usage.ts';

/** What a round's pass must carry to be compared. */
export interface RoundPass {
  readonly throughput: number;
  readonly generator: GeneratorUsage;
}

/** The median of `values` (the mean of the middle two for an even count), or undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The pass with the median throughput (the lower middle one for an even count). */
export function medianPass<P extends RoundPass>(passes: readonly P[]): P | undefined {
  if (passes.length === 0) return undefined;
  const sorted = [...passes].sort((a, b) => a.throughput - b.throughput);
  return sorted[(sorted.length - 1) >> 1];
}

/**
 * The median over rounds of mine / theirs, pairing the passes of the same round and leaving out
 * a round where either generator was saturated; undefined when no round is left.
 */
export function pairedRatio(mine: readonly RoundPass[], theirs: readonly RoundPass[]): number | undefined {
  const ratios: number[] = [];
  for (let round = 0; round < Math.min(mine.length, theirs.length); round++) {
    const a = mine[round]!;
    const b = theirs[round]!;
    if (!a.generator.bound && !b.generator.bound && b.throughput > 0) ratios.push(a.throughput / b.throughput);
  }
  return median(ratios);
}
