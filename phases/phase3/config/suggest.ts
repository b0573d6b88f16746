/**
 * "Did you mean …?" for a misspelt option: the candidate nearest by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1 — the optimal string alignment
 * distance), or one the name is a prefix of, when it is near enough to be what the operator meant.
 * @module
 */

/** The edit distance between `a` and `b`, counting a swap of two adjacent characters as one edit. */
export function editDistance(a: string, b: string): number {
  // Three rows of the dynamic-programming table suffice: a swap looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * The candidate `name` most likely meant, or undefined. Near enough means at most 2 edits, or a
 * third of the candidate's length for long names (`memry-limit-mb`), or `name` being the start of
 * exactly one candidate (`--memory` for `--memory-mb`). Ties go to the earlier candidate.
 */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  const prefixed = candidates.filter((candidate) => wanted.length >= 3 && candidate.startsWith(wanted));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    const limit = Math.max(2, Math.floor(candidate.length / 3));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean --memory-mb?`, or nothing when no candidate is near. */
export function didYouMean(name: string, candidates: readonly string[], prefix = ''): string {
  const found = suggest(name, candidates);
  return found === undefined ? '' : `; did you mean ${prefix}${found}?`;
}
