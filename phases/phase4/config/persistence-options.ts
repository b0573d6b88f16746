/**
 * Phase 4's options for persistence: the append-only log, its fsync policy and snapshots: the long
 * options, memcached's one-letter flags and its `-o` keys that set them. memcached itself has no
 * durable log (its `-e` restartable cache keeps item memory in a file and needs a clean stop), so
 * there are no flags to take over; the options follow redis's appendonly/appendfsync words.
 * @module
 */
import type { ShortFlagTable } from '../../phase3/config/memcached-flags.ts';
import type { CrossCheck } from '../../phase3/config/config-spec.ts';
import type { OptionTable, PHASE3_OPTIONS } from '../../phase3/config/phase3-options.ts';
import { boolean, integer, oneOf, optionalPath, size } from '../../phase3/config/option-kinds.ts';
import type { ExtendedOptionTable } from './extended-options.ts';

/** The fsync policies, as redis names them (`appendfsync`). */
export const FSYNC_POLICIES = ['always', 'everysec', 'no'] as const;
/** When the log is forced to disk. */
export type FsyncPolicy = (typeof FSYNC_POLICIES)[number];

/** The long options (flags, file keys, KVLAB_* variables). */
export const PERSISTENCE_OPTIONS = {
  persist: optionalPath({
    default: null,
    description: 'keep every write in an append-only log and snapshots in this directory, and restore them on start (off by default)',
  }),
  fsync: oneOf(FSYNC_POLICIES, {
    default: 'everysec',
    description: 'when the log reaches the disk: always (before each reply), everysec (once a second), no (when the kernel decides)',
  }),
  // 64 MiB: a log that size replays in well under a second, and compaction copies at most that
  // much beyond the live data.
  'snapshot-log-size': size(1024, 2 ** 40, {
    default: 64 * 1024 * 1024,
    description: 'write a snapshot and start a new log once the log holds this many bytes',
  }),
  'snapshot-seconds': integer(0, 7 * 24 * 3600, {
    default: 3600,
    description: 'also write a snapshot this many seconds after the last one, if anything was written (0 = only by size and on stop)',
  }),
  repair: boolean({
    default: false,
    description: 'on start, cut a log at a corrupt record (losing what follows it) instead of refusing to start',
  }),
} as const satisfies OptionTable;

/** memcached's one-letter flags that set them (they replace phase 3's refusals): none. */
export const PERSISTENCE_FLAGS: ShortFlagTable = {};

/** memcached's `-o` keys that set them: none, memcached has no such log. */
export const PERSISTENCE_EXTENDED: ExtendedOptionTable = {};

/**
 * Persistence runs where the writes execute: with `--workers N` they execute in ring workers,
 * which would each need the log (one shared writer that every worker hands records to, in the
 * order the store applied them) — refused by name instead of served half-durable.
 */
export const PERSISTENCE_CHECKS: readonly CrossCheck<typeof PERSISTENCE_OPTIONS & Pick<typeof PHASE3_OPTIONS, 'workers'>>[] = [
  {
    option: 'persist',
    problem: (values) => values.persist !== null && values.workers > 0
      ? '--persist with --workers N is not supported (writes would run in several threads, and the log must hold them in the order the store applied them); use --workers 0'
      : undefined,
  },
];
