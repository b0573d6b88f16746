/**
 * Writes a snapshot: every live item of a map as Set records and an End record with the count and
 * the highest CAS, into a temporary file that is fsynced, then renamed over to its numbered name
 * and the directory fsynced. A crash at any point leaves either the previous snapshot and its logs
 * or the new snapshot — never half of one. Only then are the files it replaces removed.
 * @module
 */
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { endOf, type ItemMap } from './item-map.ts';
import { FILE_MODE, listDirectory, logPath, snapshotPath, SNAPSHOT_TEMP, syncDirectory } from './log-files.ts';
import { RecordBuilder } from './record-format.ts';

/** Records are written in batches of about this much (1 MiB: few calls, little memory). */
const BATCH_BYTES = 1024 * 1024;

/** What a written snapshot holds. */
export interface SnapshotWritten {
  readonly items: number;
  readonly bytes: number;
}

/** Writes `map` as snapshot `sequence` of `dir`, replacing older snapshots and segments ≤ `sequence`. */
export async function writeSnapshot(dir: string, sequence: number, map: ItemMap, nowMs: number): Promise<SnapshotWritten> {
  map.dropExpired(nowMs);
  const temp = join(dir, SNAPSHOT_TEMP);
  const handle = await open(temp, 'w', FILE_MODE);
  const builder = new RecordBuilder(2 * BATCH_BYTES);
  let bytes = 0;
  const drain = async () => {
    const buffer = builder.take();
    await handle.write(buffer, 0, buffer.length, bytes);
    bytes += buffer.length;
  };
  try {
    // A delayed flush_all still ahead: the items written after this snapshot are covered too.
    if (map.flushAt !== 0) builder.flush(map.flushAt);
    for (const [key, item] of map.items) {
      builder.set({ key, flags: item.flags, expiresAt: endOf(item), cas: item.cas, value: item.value, binaryKey: item.binaryKey });
      if (builder.bytes >= BATCH_BYTES) await drain();
    }
    builder.endOfSnapshot(map.items.size, map.maxCas);
    await drain();
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, snapshotPath(dir, sequence));
  await syncDirectory(dir);
  // The new snapshot is durable: what it replaces may go.
  const listing = await listDirectory(dir);
  for (const old of listing.snapshots) if (old < sequence) await rm(snapshotPath(dir, old), { force: true });
  for (const segment of listing.logs) if (segment <= sequence) await rm(logPath(dir, segment), { force: true });
  await syncDirectory(dir);
  return { items: map.items.size, bytes };
}
