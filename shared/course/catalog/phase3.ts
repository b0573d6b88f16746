/**
 * Phase 3's exercises, in course order: the parts that make the event-driven server one an
 * operator can run — where each option's value comes from, the bucket index of the HDR latency
 * histogram, the Prometheus exposition of a histogram series, and the shutdown that drains.
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
    servers: [3, 4],
    hints: [
      'describeOrigin is a switch on `origin.kind` with four cases. mergeSources needs two records you fill in as you go: `values` and `origins`.',
      'Strength is a position: `PRECEDENCE.indexOf(origin.kind)` (import PRECEDENCE from origin.ts beside precedence.ts) is 0 for default and 3 for flag. An entry replaces the current value of its option when its strength is >= the current origin\'s — `>=` so that the later of two flags wins.',
      'Start with `const values = { ...defaults }` and `origins[option] = { kind: \'default\' }` for every key of defaults; for each entry, read `const current = origins[entry.option]` and replace when `current === undefined` or the entry is at least as strong.',
      "The whole loop: `for (const entry of given) { const current = origins[entry.option]; if (current === undefined || PRECEDENCE.indexOf(entry.origin.kind) >= PRECEDENCE.indexOf(current.kind)) { values[entry.option] = entry.value; origins[entry.option] = entry.origin; } } return { values, origins };`",
    ],
  },
  {
    id: 'bucket-index',
    phase: 3,
    number: '3.2',
    title: 'the bucket index of an HDR latency histogram',
    goal: 'Map a latency in nanoseconds to its log-linear bucket and a bucket back to its lower bound, with Math.clz32 and shifts: 2 significant digits from nanoseconds to a minute in 3,840 counters.',
    module: 'phases/phase3/metrics/bucket-index.ts',
    servers: [3, 4],
    hints: [
      'Start with the easy half: `if (value < UNIT_RANGE) return value;` in bucketIndex, and `if (index < UNIT_RANGE) return index;` in bucketLowerBound (import UNIT_RANGE and SUB_BUCKET_BITS from histogram-geometry.ts).',
      'For a value below 2^32: `const v = value >>> 0; const shift = 24 - Math.clz32(v);` — 31 − clz32 is the highest set bit, minus the 7 sub-bucket bits. Then `return (shift << 7) + (v >>> shift);`.',
      'bucketLowerBound: `const shift = (index >>> 7) - 1; const sub = index - (shift << 7); return sub * 2 ** shift;` — sub is in [128, 256), the top 8 bits of every value in the bucket.',
      'Past 2^32: `const shift = 56 - Math.clz32(Math.floor(value / 2 ** 32)); return (shift << 7) + Math.floor(value / 2 ** shift);` — the upper word holds the top bit, and division by a power of two is an exact shift.',
    ],
  },
  {
    id: 'histogram-exposition',
    phase: 3,
    number: '3.3',
    title: 'a histogram in the Prometheus text format',
    goal: 'Write one histogram series as Prometheus reads it: cumulative _bucket lines with an le label, the +Inf bucket, _sum and _count.',
    module: 'phases/phase3/metrics/histogram-exposition.ts',
    servers: [3, 4],
    hints: [
      'Import formatLabels and formatValue from prometheus-text.ts. Keep one running total: `let cumulative = 0;` and add `histogram.counts[i]` before writing bound i.',
      'A bucket line: `${name}_bucket${formatLabels([...labels, ["le", formatValue(histogram.bounds[i])]])} ${cumulative}` — le goes last, through the same escaping as the other labels.',
      'After the loop, add the extra entry `histogram.counts[histogram.bounds.length]` (observations above the last bound); that total is the `le="+Inf"` bucket and also `_count`.',
      'Finish with `${name}_sum${formatLabels(labels)} ${formatValue(histogram.sum)}` and `${name}_count${formatLabels(labels)} ${cumulative}` — formatLabels([]) is the empty string, so an unlabelled series gets no braces.',
    ],
  },
  {
    id: 'shutdown-sequence',
    phase: 3,
    number: '3.4',
    title: 'the graceful shutdown sequence',
    goal: 'Stop a server without hurting its clients: stop accepting, let every connection drain, force what is left at the deadline, close the resources last, and report what was drained and what was forced.',
    module: 'shared/runtime/shutdown-sequence.ts',
    servers: [3, 4],
    hints: [
      'Make the function `async`. Keep two promises: `const closed = listener.stopAccepting();` (it resolves once every connection is gone) and a deadline, `new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs, \'deadline\'); })`, with `let timer: NodeJS.Timeout | undefined;` declared before it.',
      'Between the two: `for (const connection of [...connections]) connection.drain();` — and read `const open = connections.size;` before, since connections leave the set as they close. `const started = Date.now();` at the very top gives `milliseconds`.',
      '`if ((await Promise.race([closed, deadline])) === \'deadline\') { forced = listener.sockets.size; listener.destroyConnections(); await closed; }` — destroyed sockets close a moment later, so wait for `closed` again.',
      'The end: `clearTimeout(timer); for (const resource of resources) await resource.close(); return { drained: open - forced, forced, milliseconds: Date.now() - started };` — a `for` with `await`, not Promise.all, so they close in order.',
    ],
  },
];
