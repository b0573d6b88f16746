/**
 * Checks for exercise 4.3 (record-reader): whole logs read to the end with every record's offset,
 * a log cut at every byte of its last record stops there as torn, zeros after the last record are
 * torn too, a damaged record with data after it is corruption, a huge length is never believed,
 * and for any records cut anywhere the reader stops at the start of the record that was cut.
 */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, forAll } from '../../shared/course/checks.ts';
import { RecordBuilder } from '../../phases/phase4/persistence/record-format.ts';

const { readRecords, ReadStop } = await loadExercise<typeof import('./record-reader.ts')>(import.meta.url);

const T = { timeout: 10_000 };

/** Records whose payloads are Delete records of these keys; returns the bytes and each record's start. */
function log(keys: readonly string[]): { bytes: Buffer; starts: number[] } {
  const builder = new RecordBuilder(64);
  const starts: number[] = [];
  for (const key of keys) {
    starts.push(builder.bytes);
    builder.delete(key);
  }
  return { bytes: builder.take(), starts };
}

/** What the reader saw: the offsets it was handed, and its result. */
function read(bytes: Buffer): { offsets: number[]; result: unknown } {
  const offsets: number[] = [];
  const result = readRecords(bytes, (_payload, offset) => offsets.push(offset));
  return { offsets, result };
}

describe('4.3 record-reader', () => {
  test('every record, in order, with its offset; then the end', T, () => {
    const { bytes, starts } = log(['alpha', 'beta', 'gamma']);
    expectSame(read(bytes), { offsets: starts, result: { validBytes: bytes.length, stop: ReadStop.End } }, 'readRecords(<3 records>)');
    expectSame(read(Buffer.alloc(0)), { offsets: [], result: { validBytes: 0, stop: ReadStop.End } }, 'readRecords(<no bytes>)');
  });

  test('the payload handed over is the record\'s payload', T, () => {
    const { bytes } = log(['key']);
    const payloads: string[] = [];
    readRecords(bytes, (payload) => payloads.push(payload.toString('latin1', 3)));
    expectSame(payloads, ['key'], 'readRecords(<a Delete record of "key">) payload after kind and key length');
  });

  test('cut at every byte of the last record: torn, everything before it kept', T, () => {
    const { bytes, starts } = log(['one', 'two', 'the last one']);
    const last = starts[2]!;
    for (let cut = last + 1; cut < bytes.length; cut++) {
      expectSame(read(bytes.subarray(0, cut)), { offsets: starts.slice(0, 2), result: { validBytes: last, stop: ReadStop.Torn } }, `readRecords(<cut at byte ${cut} of ${bytes.length}>)`);
    }
  });

  test('zeros after the last record (blocks allocated, never written): torn', T, () => {
    const { bytes, starts } = log(['one', 'two']);
    const padded = Buffer.concat([bytes, Buffer.alloc(100)]);
    expectSame(read(padded), { offsets: starts, result: { validBytes: bytes.length, stop: ReadStop.Torn } }, 'readRecords(<2 records, then 100 zero bytes>)');
  });

  test('a damaged record with records after it: corrupt, at that record', T, () => {
    const { bytes, starts } = log(['one', 'two', 'three']);
    const damaged = Buffer.from(bytes);
    damaged[starts[1]! + 10] = damaged[starts[1]! + 10]! ^ 0x01;
    expectSame(read(damaged), { offsets: starts.slice(0, 1), result: { validBytes: starts[1], stop: ReadStop.Corrupt } }, 'readRecords(<one bit flipped in the second of 3 records>)');
    // The same damage in the last record, with nothing after it, is a torn append.
    const tail = Buffer.from(bytes);
    tail[starts[2]! + 10] = tail[starts[2]! + 10]! ^ 0x01;
    expectSame(read(tail), { offsets: starts.slice(0, 2), result: { validBytes: starts[2], stop: ReadStop.Torn } }, 'readRecords(<one bit flipped in the last record>)');
  });

  test('a length is never believed past the bytes there are, and 0 is no record', T, () => {
    const { bytes, starts } = log(['one']);
    const huge = Buffer.concat([bytes, Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5])]);
    expectSame(read(huge), { offsets: starts, result: { validBytes: bytes.length, stop: ReadStop.Torn } }, 'readRecords(<a record, then a header claiming 4 GiB>)');
    const zero = Buffer.concat([bytes, Buffer.alloc(8), bytes]);
    expectSame(read(zero), { offsets: starts, result: { validBytes: bytes.length, stop: ReadStop.Corrupt } }, 'readRecords(<a record, a zero-length header, a record>)');
  });

  test('for any records cut anywhere: stops at the start of the record that was cut', T, () => {
    const keys = fc.array(fc.string({ minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 12 });
    forAll(fc.property(keys, fc.double({ min: 0, max: 1, noNaN: true }), (names, where) => {
      const { bytes, starts } = log(names);
      const cut = Math.floor(where * bytes.length);
      const whole = starts.filter((start, i) => (starts[i + 1] ?? bytes.length) <= cut);
      const atBoundary = cut === bytes.length || starts.includes(cut);
      const validBytes = atBoundary ? cut : starts[whole.length]!;
      expectSame(read(bytes.subarray(0, cut)), {
        offsets: whole, result: { validBytes, stop: atBoundary ? ReadStop.End : ReadStop.Torn },
      }, `readRecords(<${names.length} records cut at byte ${cut} of ${bytes.length}>)`);
    }), { numRuns: 200, seed: 42 });
  });
});
