/**
 * The persistence directory's layout: numbered log segments and snapshots.
 *
 *   snapshot-0000000007.kvs   every item as of the end of log segment 7 (then an End record)
 *   log-0000000008.kvl        the records written after it, in order
 *
 * A snapshot numbered N replaces segments ≤ N, so a start reads the newest snapshot and the
 * segments above it; files a finished compaction left behind (older ones) are ignored, then removed.
 * New files become durable only once their directory entry is: {@link syncDirectory}.
 * @module
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const LOG = /^log-(\d{10})\.kvl$/;
const SNAPSHOT = /^snapshot-(\d{10})\.kvs$/;
/**
 * Files hold every item's value: readable by the server's user only (like redis's dump, unlike a
 * default umask's 0644), and the directory, when created here, likewise.
 */
export const FILE_MODE = 0o600;
/** The mode of a persistence directory the server creates: its owner only, as the files. */
export const DIRECTORY_MODE = 0o700;
/** Where a snapshot is written before its rename makes it the snapshot. */
export const SNAPSHOT_TEMP = 'snapshot.tmp';

/** A file name's sequence number, ten digits so names sort as numbers do. */
function numbered(prefix: string, sequence: number, suffix: string): string {
  return `${prefix}-${String(sequence).padStart(10, '0')}.${suffix}`;
}

/** The path of log segment `sequence`. */
export function logPath(dir: string, sequence: number): string {
  return join(dir, numbered('log', sequence, 'kvl'));
}

/** The path of snapshot `sequence`. */
export function snapshotPath(dir: string, sequence: number): string {
  return join(dir, numbered('snapshot', sequence, 'kvs'));
}

/** What the directory holds, by sequence number, ascending. */
export interface DirectoryListing {
  readonly logs: number[];
  readonly snapshots: number[];
}

/** Lists the directory's segments and snapshots. */
export async function listDirectory(dir: string): Promise<DirectoryListing> {
  const logs: number[] = [];
  const snapshots: number[] = [];
  for (const name of await readdir(dir)) {
    const log = LOG.exec(name);
    if (log) logs.push(Number(log[1]));
    const snapshot = SNAPSHOT.exec(name);
    if (snapshot) snapshots.push(Number(snapshot[1]));
  }
  const ascending = (a: number, b: number) => a - b;
  return { logs: logs.sort(ascending), snapshots: snapshots.sort(ascending) };
}

/**
 * fsyncs the directory itself: a created, renamed or removed file is only certain to survive a
 * crash once the directory's entry for it is on disk (POSIX leaves it to the file system).
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
