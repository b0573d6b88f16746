/**
 * Reads a whole log or snapshot file through {@link readRecords} a window at a time, so a file of
 * any size replays in bounded memory: a record cut by the window's end is carried into the next
 * window, and only at the file's real end does an unfinished record mean a torn tail.
 * @module
 */
import { open } from 'node:fs/promises';
import { readRecords, ReadStop, type RecordSink } from './record-reader.ts';

/** 4 MiB a read: large enough that the per-call cost vanishes, small beside any cache's memory. */
const WINDOW_BYTES = 4 * 1024 * 1024;

/** What a file scan found. */
export interface ScanResult {
  /** Bytes from the start holding valid records. */
  readonly validBytes: number;
  readonly size: number;
  readonly stop: ReadStop;
}

/** Hands every valid record of the file at `path` to `sink`, with its offset in the file. */
export async function scanFile(path: string, sink: RecordSink): Promise<ScanResult> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let base = 0;
    let carry = Buffer.alloc(0);
    for (;;) {
      const want = Math.min(WINDOW_BYTES, size - base - carry.length);
      const fresh = Buffer.allocUnsafe(Math.max(0, want));
      let got = 0;
      while (got < fresh.length) {
        const { bytesRead } = await handle.read(fresh, got, fresh.length - got, base + carry.length + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const window = carry.length === 0 ? fresh.subarray(0, got) : Buffer.concat([carry, fresh.subarray(0, got)]);
      const atEnd = base + window.length >= size || got === 0;
      const windowBase = base;
      const result = readRecords(window, (payload, offset) => sink(payload, windowBase + offset));
      if (atEnd || result.stop === ReadStop.Corrupt) {
        return { validBytes: base + result.validBytes, size, stop: result.stop };
      }
      // The window ended inside a record: keep its start for the next window.
      carry = window.subarray(result.validBytes);
      base += result.validBytes;
    }
  } finally {
    await handle.close();
  }
}
