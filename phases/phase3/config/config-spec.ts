/**
 * What a phase's configuration consists of: its option table, the one-letter flags it accepts,
 * and the checks that relate two options. Phase 3 has one ({@link PHASE3_CONFIG}); phase 4
 * extends it with its own options, flags and checks.
 * @module
 */
import { MEMCACHED_FLAGS, type ShortFlagTable } from './memcached-flags.ts';
import { PHASE3_OPTIONS, type ConfigValues, type OptionTable } from './phase3-options.ts';

/** A rule over several options, reported against `option` with `allowed` as its words. */
export interface CrossCheck<T extends OptionTable> {
  readonly option: keyof T & string;
  /** What is allowed, when the values break the rule; undefined when they keep it. */
  problem(values: ConfigValues<T>): string | undefined;
}

/** One phase's configuration. */
export interface ConfigSpec<T extends OptionTable> {
  readonly options: T;
  readonly shortFlags: ShortFlagTable;
  readonly checks: readonly CrossCheck<T>[];
}

/** Phase 3's configuration: its options, memcached's flags, and one rule between two ports. */
export const PHASE3_CONFIG: ConfigSpec<typeof PHASE3_OPTIONS> = {
  options: PHASE3_OPTIONS,
  shortFlags: MEMCACHED_FLAGS,
  checks: [
    {
      option: 'metrics-port',
      // Both on one fixed TCP port would fail at listen() with EADDRINUSE; say so before that.
      problem: (values) => values['metrics-port'] !== null && values['metrics-port'] !== 0 &&
        values['metrics-port'] === values.port && values['unix-socket'] === null
        ? `a port other than the memcached port (${values.port})`
        : undefined,
    },
  ],
};
