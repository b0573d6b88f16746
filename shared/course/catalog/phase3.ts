/**
 * Phase 3's exercises, in course order: the parts that make the event-driven server one an
 * operator can run — among them where each option's value comes from.
 * @module
 */
import type { Exercise } from './exercise.ts';

/** The exercises of phase 3, the production server. */
export const PHASE3_EXERCISES: readonly Exercise[] = [
  {
    id: 'config-precedence',
    phase: 3,
    number: '3.1',
    title: 'configuration precedence, with origins',
    goal: 'Merge the values that flags, environment variables, the config file and the defaults give, so the most specific source wins, and keep where each value came from for errors and --print-config.',
    module: 'phases/phase3/config/precedence.ts',
    servers: [3],
    hints: [
      'describeOrigin is a switch on `origin.kind` with four cases. mergeSources needs two records you fill in as you go: `values` and `origins`.',
      'Strength is a position: `PRECEDENCE.indexOf(origin.kind)` (import PRECEDENCE from origin.ts beside precedence.ts) is 0 for default and 3 for flag. An entry replaces the current value of its option when its strength is >= the current origin\'s — `>=` so that the later of two flags wins.',
      'Start with `const values = { ...defaults }` and `origins[option] = { kind: \'default\' }` for every key of defaults; for each entry, read `const current = origins[entry.option]` and replace when `current === undefined` or the entry is at least as strong.',
      "The whole loop: `for (const entry of given) { const current = origins[entry.option]; if (current === undefined || PRECEDENCE.indexOf(entry.origin.kind) >= PRECEDENCE.indexOf(current.kind)) { values[entry.option] = entry.value; origins[entry.option] = entry.origin; } } return { values, origins };`",
    ],
  },
];
