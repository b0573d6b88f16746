/**
 * The record reader and recovery over real files: records round-trip; a log cut at every byte of
 * its last record restarts with everything before it and one warning; zeros after the last record
 * are a torn tail too; a damaged record in the middle stops the start naming file and offset,
 * unless --repair cuts it there; a snapshot carries items, expiry and the highest CAS.
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBuilder, RecordKind } from '../record-format.ts';
import { readRecords, ReadStop } from '../record-reader.ts';
import { decodeRecord, type LogRecord } from '../record-decode.ts';
import { CorruptPersistenceError, recover } from '../recovery.ts';
import { logPath } from '../log-files.ts';
import { ItemMap } from '../item-map.ts';
import { writeSnapshot } from '../snapshot-writer.ts';

const FAR = Date.now() + 3_600_000;

/** A log of a few records of every kind; returns its bytes and where its last record starts. */
function sampleLog(): { bytes: Buffer; lastStart: number } {
  const b = new RecordBuilder(64);
  b.set({ key: 'a', flags: 7, expiresAt: 0, cas: 1n, value: Buffer.from('hello'), binaryKey: false });
  b.set({ key: 'n', flags: 0, expiresAt: FAR, cas: 2n, value: Buffer.from('41'), binaryKey: false });
  b.counter('n', 42n, 3n);
  b.concat(true, 'a', 4n, Buffer.from('!'));
  b.set({ key: 'gone', flags: 0, expiresAt: 0, cas: 5n, value: Buffer.from('x'), binaryKey: false });
  b.delete('gone');
  const lastStart = b.bytes;
  b.set({ key: 'last', flags: 1, expiresAt: 0, cas: 6n, value: Buffer.from('the last write'), binaryKey: false });
  return { bytes: b.take(), lastStart };
}

function decodeAll(bytes: Buffer): LogRecord[] {
  const records: LogRecord[] = [];
  readRecords(bytes, (payload) => records.push(decodeRecord(payload)!));
  return records;
}

const silent = () => undefined;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kvlab-persist-'));
}

test('records round-trip and the reader reaches the end', () => {
  const { bytes } = sampleLog();
  const result = readRecords(bytes, () => undefined);
  assert.deepEqual(result, { validBytes: bytes.length, stop: ReadStop.End });
  const kinds = decodeAll(bytes).map((record) => record.kind);
  assert.deepEqual(kinds, [RecordKind.Set, RecordKind.Set, RecordKind.Counter, RecordKind.Append, RecordKind.Set, RecordKind.Delete, RecordKind.Set]);
});

test('a log cut at every byte offset of its last record restarts with everything before it', async () => {
  const { bytes, lastStart } = sampleLog();
  const dir = tempDir();
  try {
    for (let cut = lastStart; cut < bytes.length; cut++) {
      const path = logPath(dir, 0);
      writeFileSync(path, bytes.subarray(0, cut));
      const warnings: string[] = [];
      const recovered = await recover(dir, { repair: false, warn: (_fields, message) => warnings.push(message) });
      const items = recovered.map.items;
      assert.equal(items.get('a')?.value.toString(), 'hello!', `cut at ${cut}`);
      assert.equal(items.get('n')?.value.toString(), '42');
      assert.equal(items.has('gone'), false);
      assert.equal(items.has('last'), false, `cut at ${cut}: the torn record must not be restored`);
      assert.equal(recovered.map.maxCas, 5n);
      // One warning when something was cut; the file is cut back to its last whole record.
      assert.equal(warnings.length, cut === lastStart ? 0 : 1, `cut at ${cut}`);
      assert.equal(readFileSync(path).length, lastStart);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zeros after the last whole record are a torn tail, not corruption', () => {
  const { bytes } = sampleLog();
  const padded = Buffer.concat([bytes, Buffer.alloc(4096)]);
  assert.deepEqual(readRecords(padded, () => undefined), { validBytes: bytes.length, stop: ReadStop.Torn });
});

test('a damaged record in the middle stops the start with the file and offset; --repair cuts there', async () => {
  const { bytes } = sampleLog();
  const damaged = Buffer.from(bytes);
  // Inside the second record's value: its checksum no longer matches, and records follow it.
  const first = damaged.readUInt32LE(0) + 8;
  damaged[first + 20] = damaged[first + 20]! ^ 0xff;
  const dir = tempDir();
  try {
    const path = logPath(dir, 0);
    writeFileSync(path, damaged);
    await assert.rejects(recover(dir, { repair: false, warn: silent }), (error: unknown) => {
      assert.ok(error instanceof CorruptPersistenceError);
      assert.equal(error.file, path);
      assert.equal(error.offset, first);
      assert.match(error.message, new RegExp(`${path}.*byte ${first}`));
      return true;
    });
    // Untouched by the refusal: the operator decides.
    assert.equal(readFileSync(path).length, damaged.length);
    const warnings: string[] = [];
    const repaired = await recover(dir, { repair: true, warn: (_fields, message) => warnings.push(message) });
    assert.deepEqual([...repaired.map.items.keys()], ['a']);
    assert.equal(warnings.length, 1);
    assert.equal(readFileSync(path).length, first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a snapshot replaces the segments it covers and keeps items, expiry and the highest CAS', async () => {
  const dir = tempDir();
  try {
    writeFileSync(logPath(dir, 0), sampleLog().bytes);
    const map = (await recover(dir, { repair: false, warn: silent })).map;
    map.items.set('expired', { flags: 0, expiresAt: Date.now() - 1000, flushAt: 0, cas: 9n, value: Buffer.from('old'), binaryKey: false });
    map.apply({ kind: RecordKind.Set, item: { key: 'top', flags: 0, expiresAt: FAR, cas: 99n, value: Buffer.from('v'), binaryKey: true } });
    map.apply({ kind: RecordKind.Delete, key: 'top' });
    const written = await writeSnapshot(dir, 0, map, Date.now());
    assert.equal(written.items, 3);
    const again = await recover(dir, { repair: false, warn: silent });
    assert.equal(again.snapshot, 0);
    assert.deepEqual([...again.map.items.keys()].sort(), ['a', 'last', 'n']);
    assert.equal(again.map.items.get('n')?.expiresAt, FAR);
    // The deleted item's CAS was handed out once: it must never be handed out again.
    assert.equal(again.map.maxCas, 99n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a delayed flush_all covers items stored until its moment, and not those after', () => {
  const map = new ItemMap();
  const item = (key: string, cas: bigint): LogRecord => ({ kind: RecordKind.Set, item: { key, flags: 0, expiresAt: 0, cas, value: Buffer.from(key), binaryKey: false } });
  map.apply(item('before', 1n));
  map.apply({ kind: RecordKind.Flush, at: FAR });
  map.apply(item('during', 2n));
  map.apply({ kind: RecordKind.FlushPassed });
  map.apply(item('after', 3n));
  map.dropExpired(FAR);
  assert.deepEqual([...map.items.keys()], ['after']);
});
