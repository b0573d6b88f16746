/**
 * Reference answer to the configuration-precedence exercise. Not a copy: it re-exports the very
 * module phase 3 runs, phases/phase3/config/precedence.ts, so this answer and the server can never
 * disagree. Read that file; here is why it looks the way it does.
 *
 * - Strength is a position in one ordered list (PRECEDENCE), not a chain of ifs: phase 4 or a
 *   new source adds one word to the list, and the merge does not change.
 * - The comparison is `>=`, not `>`: the entries of one source arrive in the order they were
 *   written, and the later one wins, as it does for getopt and for a file read top to bottom.
 * - The order of `given` does not matter between sources: the loader happens to pass file, env,
 *   flags, but a merge that relied on that would break the day someone passes them otherwise.
 * - The origin travels with the value from the start; recovering it afterwards ("which source
 *   had this value?") is ambiguous when two sources gave the same one.
 * @module
 */
export * from '../../phases/phase3/config/precedence.ts';
