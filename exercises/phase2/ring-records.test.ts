/**
 * Checks for exercise 2.1 (ring-records): the exact bytes of a record, each field read back, the
 * payload as a view, and a round trip over many random records.
 */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectBytes, expectSame, expectTrue, forAll } from '../../shared/course/checks.ts';

const { encodeRecord, recordConnection, recordKind, recordPayload, RecordKind, RECORD_HEADER } =
  await loadExercise<typeof import('./ring-records.ts')>(import.meta.url);

const T = { timeout: 10_000 };

describe('2.1 ring-records', () => {
  test('encodeRecord: [u32 big-endian connection][u8 kind][payload]', T, () => {
    expectBytes(encodeRecord(0x01020304, RecordKind.Request, Uint8Array.of(9, 8, 7)), Uint8Array.of(1, 2, 3, 4, 1, 9, 8, 7),
      'encodeRecord(0x01020304, Request, [9, 8, 7])');
  });

  test('a record without a payload is its 5-byte header alone', T, () => {
    expectBytes(encodeRecord(7, RecordKind.Gone), Uint8Array.of(0, 0, 0, 7, 2), 'encodeRecord(7, Closed)');
    expectSame(RECORD_HEADER, 5, 'RECORD_HEADER');
  });

  test('recordConnection reads all 32 bits back, unsigned', T, () => {
    for (const id of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff]) {
      expectSame(recordConnection(Uint8Array.of(id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff, 1)), id,
        `recordConnection of a record whose id bytes are ${id.toString(16).padStart(8, '0')}`);
    }
  });

  test('recordKind reads byte 4', T, () => {
    expectSame(recordKind(Uint8Array.of(0, 0, 0, 1, RecordKind.Resume)), RecordKind.Resume, 'recordKind([0, 0, 0, 1, 6])');
  });

  test('recordPayload is a view of the record (no copy), even inside a bigger buffer', T, () => {
    const memory = Uint8Array.of(0xee, 0xee, 0, 0, 0, 5, 3, 10, 20, 30, 0xee);
    const record = memory.subarray(2, 10);
    const payload = recordPayload(record);
    expectBytes(payload, Uint8Array.of(10, 20, 30), 'recordPayload of a record at offset 2 of a larger buffer');
    expectTrue(Buffer.isBuffer(payload), 'recordPayload(...)', 'a Buffer', payload.constructor.name);
    memory[8] = 99;
    expectSame(payload[1], 99, 'after changing the record\'s memory, payload[1] (a view sees the change; a copy does not)');
  });

  test('round trip: any id, kind and payload come back as they went in', T, () => {
    const kinds = Object.values(RecordKind);
    forAll(fc.property(fc.nat({ max: 0xffffffff }), fc.constantFrom(...kinds), fc.uint8Array({ maxLength: 64 }), (id, kind, bytes) => {
      const record = encodeRecord(id, kind, bytes);
      const given = `encodeRecord(${id}, ${kind}, <${bytes.length} bytes>)`;
      expectSame(record.length, RECORD_HEADER + bytes.length, `length of ${given}`);
      expectSame(recordConnection(record), id, `recordConnection(${given})`);
      expectSame(recordKind(record), kind, `recordKind(${given})`);
      expectBytes(recordPayload(record), bytes, `recordPayload(${given})`);
    }), { numRuns: 300, seed: 42 });
  });
});
