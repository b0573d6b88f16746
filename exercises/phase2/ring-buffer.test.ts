/**
 * Checks for exercise 2.3 (ring-buffer): order and integrity, a full ring refusing, the wrap
 * behind a padding marker (checked in the shared memory itself), counters that wrap past 2^31,
 * the size limit, popInto, and finally two real threads passing 20,000 records.
 */
import { describe, test } from 'node:test';
import { spawnWorker } from '../../shared/runtime/spawn-worker.ts';
import { DATA_START, PADDING_MARKER, Slot } from '../../phases/phase2/ring/ring-layout.ts';
import { implementationUrl, loadExercise } from '../../shared/course/load-exercise.ts';
import { expectBytes, expectSame, expectThrows, fail } from '../../shared/course/checks.ts';
import { WorkerMessages } from '../../shared/course/support/worker-messages.ts';
import type { RingWorkerMessage, RingWorkerSetup } from '../../shared/course/support/ring-roles.ts';
import { createStartWord, createWakeupLog } from '../../phases/phase2/ring/wakeup-watch.ts';

const { createRing, EMPTY, RingReader, RingWriter } = await loadExercise<typeof import('./ring-buffer.ts')>(import.meta.url);

const T = { timeout: 20_000 };
const WORKER = new URL('../../shared/course/support/ring-worker.ts', import.meta.url);
const RECORDS = 20_000;
/**
 * A side that waits this long while the other does nothing reports a stall. The clock starts once
 * both threads have loaded, and in between two of its steps a side does microseconds of work, so
 * 5 s means a thread that did not run at all for 5 s, or a deadlock. A lost wakeup, and a wait
 * that ends before its time with nothing new, are reported as such by the workers, whatever this
 * limit.
 */
const STALL_MS = 5_000;

function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 31 + i) & 0xff);
}

/** A ring whose counters start at `position`, as if that many bytes had already gone through. */
function ringAt(capacity: number, position = 0) {
  const buffer = createRing(capacity);
  const control = new Int32Array(buffer);
  control[Slot.HEAD] = position | 0;
  control[Slot.TAIL] = position | 0;
  return { buffer, writer: new RingWriter(buffer), reader: new RingReader(buffer) };
}

describe('2.3 ring-buffer', () => {
  test('records come out in the order they went in, whole, with their exact lengths', T, () => {
    const { writer, reader } = ringAt(1024);
    const sent = [bytes(0, 1), bytes(1, 2), bytes(7, 3), bytes(100, 4)];
    for (const record of sent) expectSame(writer.tryPush(record), true, `tryPush(<${record.length} bytes>) on a ring with room`);
    sent.forEach((record, i) => expectSame(reader.tryPop(), record, `tryPop() number ${i + 1} (pushed: ${record.length} bytes)`));
    expectSame(reader.tryPop(), undefined, 'tryPop() once every record was read');
  });

  test('a full ring refuses a record (false) until the reader frees space', T, () => {
    const { writer, reader } = ringAt(64);
    // Each 12-byte record takes 16 bytes with its length: four fill the 64-byte data area.
    for (let i = 0; i < 4; i++) expectSame(writer.tryPush(bytes(12, i)), true, `tryPush of 12-byte record ${i + 1} into a 64-byte ring`);
    expectSame(writer.tryPush(bytes(0, 9)), false, 'tryPush of a fifth record into the full ring');
    expectSame(reader.tryPop(), bytes(12, 0), 'tryPop() from the full ring');
    expectSame(writer.tryPush(bytes(12, 4)), true, 'tryPush once one record was read');
    for (let i = 1; i <= 4; i++) expectSame(reader.tryPop(), bytes(12, i), `tryPop() of record ${i + 1}`);
  });

  test('a record that does not fit before the end leaves a padding marker and wraps to offset 0', T, () => {
    const { buffer, writer, reader } = ringAt(128);
    const words = new Int32Array(buffer, DATA_START, 32);
    for (let i = 0; i < 2; i++) {
      writer.tryPush(bytes(56, i)); // 60 bytes with the length: offsets 0–59, then 60–119
      reader.tryPop();
    }
    expectSame(writer.tryPush(bytes(20, 2)), true, 'tryPush(<20 bytes>) at offset 120 of a 128-byte ring, where only 8 bytes remain');
    expectSame(words[30], PADDING_MARKER, 'the Int32 at offset 120 after that push (the padding marker is -1)');
    expectSame(words[0], 20, 'the Int32 at offset 0 (the wrapped record\'s length)');
    expectSame(reader.tryPop(), bytes(20, 2), 'tryPop() of the wrapped record');
    expectSame(writer.tryPush(bytes(60, 3)), true, 'tryPush(<60 bytes>, the largest) once the reader has skipped the padding');
    expectSame(reader.tryPop(), bytes(60, 3), 'tryPop() of that record');
  });

  test('positions are free-running counters: they wrap past 2^31 and 2^32', T, () => {
    for (const start of [2 ** 31 - 24, 2 ** 32 - 24]) {
      const { writer, reader } = ringAt(64, start);
      for (let i = 0; i < 20; i++) {
        if (!writer.tryPush(bytes(10 + (i % 3), i))) fail(`counters starting at ${start}, push ${i + 1}`, 'true', 'false');
        expectSame(reader.tryPop(), bytes(10 + (i % 3), i), `counters starting at ${start}: tryPop() number ${i + 1}`);
      }
    }
  });

  test('a record over maxRecordLength is refused with a RangeError', T, () => {
    const { writer } = ringAt(64);
    expectSame(writer.maxRecordLength, 28, 'maxRecordLength of a 64-byte ring (half of it, less the 4-byte length)');
    expectSame(writer.tryPush(bytes(28, 1)), true, 'tryPush(<28 bytes>) on a 64-byte ring');
    expectThrows(() => writer.tryPush(bytes(29, 1)), RangeError, 'tryPush(<29 bytes>) on a 64-byte ring');
  });

  test('popInto copies into the caller\'s buffer; too small a buffer leaves the record in place', T, () => {
    const { writer, reader } = ringAt(256);
    writer.tryPush(bytes(20, 9));
    expectThrows(() => reader.popInto(new Uint8Array(19)), RangeError, 'popInto(<19-byte target>) with a 20-byte record waiting');
    const target = new Uint8Array(64);
    expectSame(reader.popInto(target), 20, 'popInto(<64-byte target>): the length it returns');
    expectBytes(target.subarray(0, 20), bytes(20, 9), 'popInto(<64-byte target>): the bytes copied');
    expectSame(reader.popInto(target), EMPTY, 'popInto() on the empty ring');
  });

  test(`two threads: ${RECORDS} records of 4–203 bytes cross a 1 KiB ring in order and intact`, T, async () => {
    const ring = createRing(1024);
    const shared = { implementation: implementationUrl(import.meta.url).href, ring, start: createStartWord(), wakeups: createWakeupLog(), records: RECORDS, stallMs: STALL_MS };
    const start = (role: RingWorkerSetup['role']) => new WorkerMessages<RingWorkerMessage>(spawnWorker(WORKER, {
      workerData: { ...shared, role } satisfies RingWorkerSetup,
    }));
    const reader = start('read');
    const writer = start('write');
    try {
      const given = `a writer thread pushing ${RECORDS} numbered records (sleeping in waitForSpace when full), a reader thread popping them`;
      // The writer first: an error there is the cause of whatever the reader saw.
      // Longer than the workers' own stall limit, so that a stall is reported by its side.
      const wrote = await writer.waitFor('done', 15_000, given, 'the writer to finish');
      const read = await reader.waitFor('done', 15_000, given, 'the reader to finish');
      // A stall shows on both sides; each side's account is part of the story.
      const problems = [wrote.kind === 'done' && wrote.problem, read.kind === 'done' && read.problem];
      if (problems[1]) fail(given, 'each record intact, in order', problems[0] ? `${problems[1]}; the writer: ${problems[0]}` : problems[1]);
      if (problems[0]) fail(given, 'every push to succeed', problems[0]);
      if (read.kind === 'done') expectSame(read.received, RECORDS, `${given}: records the reader received`);
    } finally {
      await Promise.all([reader.worker.terminate(), writer.worker.terminate()]);
    }
  });
});
