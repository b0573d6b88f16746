/**
 * What the course knows about one exercise: where it sits, what it asks, which real module it
 * stands in for (the capstone swaps that module for the learner's file), and its hints, from a
 * nudge to very nearly the answer.
 * @module
 */

/** One exercise. Its files follow from `phase` and `id` (see paths.ts). */
export interface Exercise {
  /** The name used on the command line and in file names, e.g. `atomics-lock`. */
  readonly id: string;
  readonly phase: number;
  /** Its place in the course, e.g. `1.4`: phase, then order within the phase. */
  readonly number: string;
  readonly title: string;
  /** What to write and why it matters, in a sentence or two. */
  readonly goal: string;
  /** The module the phase servers run, repository-relative; the stub has the same exports. */
  readonly module: string;
  /** The phases whose server runs that module: their capstones run the learner's file. */
  readonly servers: readonly number[];
  /** Hints in the order they are revealed, each more explicit than the last. */
  readonly hints: readonly string[];
}
