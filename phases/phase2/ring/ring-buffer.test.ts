/**
 * The ring buffer on one thread: FIFO order, backpressure when full, wrap-around through the
 * padding marker, the record size limit, counters that wrap past 2^31 and 2^32, and the waits.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRing, EMPTY, RingReader, RingWriter } from './ring-buffer.ts';
import { DATA_START, PADDING_MARKER, Slot } from './ring-layout.ts';

const T = { timeout: 10_000 };

function record(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 31 + i) & 0xff);
}

/** A ring whose counters start at `position`, as if that many bytes had already gone through. */
function ringAt(capacity: number, position: number): { writer: RingWriter; reader: RingReader; buffer: SharedArrayBuffer } {
  const buffer = createRing(capacity);
  const control = new Int32Array(buffer);
  control[Slot.HEAD] = position | 0;
  control[Slot.TAIL] = position | 0;
  return { writer: new RingWriter(buffer), reader: new RingReader(buffer), buffer };
}

describe('ring buffer', () => {
  test('capacity must be a power of two within bounds', T, () => {
    for (const bad of [0, 48, 100, 32, 2 ** 31]) assert.throws(() => createRing(bad), RangeError);
    assert.equal(new RingReader(createRing(1024)).capacity, 1024);
  });

  test('records come out in order, whole, with their exact lengths (0 included)', T, () => {
    const { writer, reader } = ringAt(1024, 0);
    const sent = [record(0, 1), record(1, 2), record(7, 3), record(100, 4)];
    for (const r of sent) assert.equal(writer.tryPush(r), true);
    for (const r of sent) assert.deepEqual(reader.tryPop(), r);
    assert.equal(reader.tryPop(), undefined);
    assert.equal(reader.popInto(new Uint8Array(10)), EMPTY);
  });

  test('popInto copies into the caller\'s buffer; a target too small leaves the record in place', T, () => {
    const { writer, reader } = ringAt(256, 0);
    writer.tryPush(record(20, 9));
    assert.throws(() => reader.popInto(new Uint8Array(19)), RangeError);
    const target = new Uint8Array(64);
    assert.equal(reader.popInto(target), 20);
    assert.deepEqual(target.subarray(0, 20), record(20, 9));
  });

  test('popInto copies long records too (the native-copy path)', T, () => {
    const { writer, reader } = ringAt(1024, 0);
    const long = record(300, 4);
    writer.tryPush(long);
    const target = new Uint8Array(400);
    assert.equal(reader.popInto(target), 300);
    assert.deepEqual(target.subarray(0, 300), long);
  });

  test('a full ring refuses (backpressure) until the reader frees space', T, () => {
    const { writer, reader } = ringAt(64, 0);
    // Each 12-byte record takes 16 bytes with its length: four fill the 64-byte area.
    for (let i = 0; i < 4; i++) assert.equal(writer.tryPush(record(12, i)), true);
    assert.equal(writer.tryPush(record(0, 9)), false);
    assert.deepEqual(reader.tryPop(), record(12, 0));
    assert.equal(writer.tryPush(record(12, 4)), true);
    for (let i = 1; i <= 4; i++) assert.deepEqual(reader.tryPop(), record(12, i));
  });

  test('a record that does not fit before the end wraps to offset 0 behind a padding marker', T, () => {
    const { writer, reader, buffer } = ringAt(128, 0);
    // Two 52-byte records (56 bytes each with their length) bring the write position to 112.
    for (const seed of [1, 2]) {
      writer.tryPush(record(52, seed));
      assert.deepEqual(reader.tryPop(), record(52, seed));
    }
    // 16 bytes remain before the end; a 20-byte record needs 24, so it goes to offset 0.
    assert.equal(writer.tryPush(record(20, 3)), true);
    const data = new Int32Array(buffer, DATA_START, 128 / 4);
    assert.equal(data[112 / 4], PADDING_MARKER, 'the marker fills the end');
    assert.equal(data[0], 20, 'the record starts the next lap');
    assert.deepEqual(reader.tryPop(), record(20, 3));
    assert.equal(reader.tryPop(), undefined);
  });

  test('records up to half the ring always fit an empty ring, at every position', T, () => {
    const capacity = 256;
    for (let position = 0; position < capacity; position += 4) {
      const { writer, reader } = ringAt(capacity, position);
      assert.equal(writer.maxRecordLength, capacity / 2 - 4);
      const big = record(writer.maxRecordLength, position);
      assert.equal(writer.tryPush(big), true, `at position ${position}`);
      assert.deepEqual(reader.tryPop(), big);
      assert.throws(() => writer.tryPush(record(writer.maxRecordLength + 1, 0)), RangeError);
    }
  });

  test('counters wrap past 2^31 and 2^32 without losing a byte', T, () => {
    for (const start of [2 ** 31 - 40, 2 ** 32 - 40]) {
      const { writer, reader } = ringAt(128, start);
      for (let i = 0; i < 50; i++) {
        const r = record(i % 30, i);
        assert.equal(writer.tryPush(r), true);
        assert.deepEqual(reader.tryPop(), r, `record ${i} from start ${start}`);
      }
    }
  });

  test('any interleaving of pushes and pops behaves as a FIFO queue (property)', { timeout: 30_000 }, () => {
    const step = fc.oneof(fc.record({ push: fc.nat({ max: 60 }) }), fc.constant({ pop: true }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const { writer, reader } = ringAt(128, 0);
        const model: Uint8Array[] = [];
        let seed = 0;
        for (const s of steps) {
          if ('push' in s) {
            const r = record(s.push, seed++);
            if (writer.tryPush(r)) model.push(r);
            else assert.ok(model.length > 0, 'only a non-empty ring may refuse');
          } else {
            assert.deepEqual(reader.tryPop(), model.shift());
          }
        }
        while (model.length > 0) assert.deepEqual(reader.tryPop(), model.shift());
        assert.equal(reader.tryPop(), undefined);
      }),
      { numRuns: 300 },
    );
  });

  test('waitForData times out on an empty ring and returns at once when data is there', T, () => {
    const { writer, reader } = ringAt(256, 0);
    assert.equal(reader.waitForData(5), false);
    writer.tryPush(record(3, 1));
    assert.equal(reader.waitForData(60_000), true);
  });

  test('waitForSpace times out on a full ring and returns at once when there is room', T, () => {
    const { writer, reader } = ringAt(64, 0);
    for (let i = 0; i < 4; i++) writer.tryPush(record(12, i));
    assert.equal(writer.waitForSpace(12, 5), false);
    reader.tryPop();
    assert.equal(writer.waitForSpace(12, 60_000), true);
  });

  test('waitForDataAsync resolves when a record is pushed later, and times out when none is', T, async () => {
    const { writer, reader } = ringAt(256, 0);
    // A pending Atomics.waitAsync does not keep Node's event loop alive; this timer does.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      const waiting = reader.waitForDataAsync(5_000);
      setImmediate(() => writer.tryPush(record(5, 5)));
      assert.equal(await waiting, true);
      assert.deepEqual(reader.tryPop(), record(5, 5));
      assert.equal(await reader.waitForDataAsync(5), false);
    } finally {
      clearInterval(keepAlive);
    }
  });
});
