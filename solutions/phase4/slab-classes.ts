/**
 * Reference answer to exercise 4.2 (slab-classes): the module phase 4's slab store runs,
 * phases/phase4/slab/slab-classes.ts, re-exported so the two can never drift. Why it is written so:
 *
 * - The size is rounded up to 8 *before* it is multiplied, and the rounded value is what grows:
 *   memcached does the same, so the table is memcached's to the byte (96, 120, 152, … with its
 *   48-byte header).
 * - The loop stops below `chunkMax / factor`, not below chunkMax: the next step would land within
 *   one factor of the maximum, and that gap is left to the last class, exactly chunkMax.
 * - classFor is a binary search over a sorted table: lower-bound search, so equal sizes fit.
 * @module
 */
export * from '../../phases/phase4/slab/slab-classes.ts';
