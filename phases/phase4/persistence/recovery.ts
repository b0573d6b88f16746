/**
 * The start: the newest snapshot, then every log segment after it, replayed into an
 * {@link ItemMap}. A torn tail (the record a crash interrupted) is cut off with one warning; a
 * damaged record with data after it stops the start with the file and offset, unless `repair`
 * asks to cut the log there (losing what follows). A snapshot is never torn — it only gets its
 * name once complete — so any damage in one is corruption.
 * @module
 */
import { open, rm } from 'node:fs/promises';
import { scanFile } from './file-scanner.ts';
import { listDirectory, logPath, snapshotPath, SNAPSHOT_TEMP } from './log-files.ts';
import { ItemMap } from './item-map.ts';
import { decodeRecord } from './record-decode.ts';
import { RecordKind } from './record-format.ts';
import { ReadStop } from './record-reader.ts';
import { join } from 'node:path';

/** A damaged persistence file: the start refuses to guess past it. */
export class CorruptPersistenceError extends Error {
  constructor(readonly file: string, readonly offset: number, detail: string) {
    super(`persistence: ${file} is damaged at byte ${offset} (${detail}); start with --repair to cut the log there, losing what follows`);
    this.name = 'CorruptPersistenceError';
  }
}

/** What the start restored. */
export interface Recovered {
  readonly map: ItemMap;
  /** The snapshot's number (−1: none) and the highest segment found (the writer opens the next). */
  readonly snapshot: number;
  readonly lastSegment: number;
  /** Segments replayed after the snapshot, and their bytes. */
  readonly segments: readonly number[];
  readonly logBytes: number;
  readonly snapshotBytes: number;
}

/** Told of a torn tail cut off or a log cut by `repair`. */
export type RecoveryWarning = (fields: Record<string, unknown>, message: string) => void;

/** How to read the directory. */
export interface RecoveryOptions {
  /** Cut a log at a damaged record instead of refusing. */
  readonly repair: boolean;
  /** Read segments up to this one only (a compaction reads what a rotation ended). */
  readonly upTo?: number;
  readonly warn: RecoveryWarning;
}

/** Reads `dir` into a map of items. */
export async function recover(dir: string, options: RecoveryOptions): Promise<Recovered> {
  const { repair, upTo = Number.MAX_SAFE_INTEGER } = options;
  const listing = await listDirectory(dir);
  if (upTo === Number.MAX_SAFE_INTEGER) await rm(join(dir, SNAPSHOT_TEMP), { force: true });
  const map = new ItemMap();
  const snapshot = listing.snapshots.filter((n) => n <= upTo).at(-1) ?? -1;
  let snapshotBytes = 0;
  if (snapshot >= 0) snapshotBytes = await readSnapshot(snapshotPath(dir, snapshot), map);
  const segments = listing.logs.filter((segment) => segment > snapshot && segment <= upTo);
  let logBytes = 0;
  for (let i = 0; i < segments.length; i++) {
    const path = logPath(dir, segments[i]!);
    const { validBytes, size, stop } = await replaySegment(path, map);
    logBytes += validBytes;
    if (stop === ReadStop.End) continue;
    if (stop === ReadStop.Corrupt && !repair) throw new CorruptPersistenceError(path, validBytes, 'checksum or length does not match');
    const later = segments.slice(i + 1);
    if (stop === ReadStop.Torn) {
      options.warn({ file: path, offset: validBytes, droppedBytes: size - validBytes }, 'persistence: the log ends in a torn record (an interrupted write); cut off');
    } else {
      options.warn({ file: path, offset: validBytes, droppedBytes: size - validBytes, droppedSegments: later.length }, 'persistence: --repair cuts the log at a damaged record');
    }
    await truncate(path, validBytes);
    // Corruption repaired: what follows a gap cannot be replayed honestly.
    if (stop === ReadStop.Corrupt) {
      for (const segment of later) await rm(logPath(dir, segment));
      segments.length = i + 1;
    }
  }
  const lastSegment = Math.max(snapshot, listing.logs.at(-1) ?? -1);
  return { map, snapshot, lastSegment, segments, logBytes, snapshotBytes };
}

/** Replays one segment's records into `map`. */
async function replaySegment(path: string, map: ItemMap): Promise<{ validBytes: number; size: number; stop: ReadStop }> {
  let badAt = -1;
  const result = await scanFile(path, (payload, offset) => {
    if (badAt >= 0) return;
    const record = decodeRecord(payload);
    if (record === null || record.kind === RecordKind.End) badAt = offset;
    else map.apply(record);
  });
  // A record that passed its checksum but does not decode: damage (or a bug) in the middle.
  if (badAt >= 0) return { validBytes: badAt, size: result.size, stop: ReadStop.Corrupt };
  return result;
}

/** Loads a snapshot; it must end with its End record, whose count must match. */
async function readSnapshot(path: string, map: ItemMap): Promise<number> {
  let items = 0;
  let ended = false;
  let badAt = -1;
  const result = await scanFile(path, (payload, offset) => {
    if (badAt >= 0) return;
    const record = decodeRecord(payload);
    if (ended || record === null || (record.kind !== RecordKind.Set && record.kind !== RecordKind.End && record.kind !== RecordKind.Flush && record.kind !== RecordKind.FlushPassed)) {
      badAt = offset;
      return;
    }
    if (record.kind === RecordKind.End) {
      ended = record.items === items;
      if (!ended) badAt = offset;
    } else if (record.kind === RecordKind.Set) {
      items++;
    }
    map.apply(record);
  });
  if (badAt >= 0) throw new CorruptPersistenceError(path, badAt, 'a record that does not belong in a snapshot');
  if (result.stop !== ReadStop.End || !ended) throw new CorruptPersistenceError(path, result.validBytes, 'the snapshot is incomplete');
  return result.size;
}

/** Cuts a file at `length` and makes the cut durable. */
async function truncate(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
