/**
 * Phase 2's exercises, in course order: the records the rings carry, the binary protocol's
 * response header, the lock-free ring itself, and the event-loop connection with its fairness
 * and backpressure.
 * @module
 */
import type { Exercise } from './exercise.ts';

/** The exercises of phase 2, the event-driven server. */
export const PHASE2_EXERCISES: readonly Exercise[] = [
  {
    id: 'ring-records',
    phase: 2,
    number: '2.1',
    title: 'the records the rings carry',
    goal: 'Encode and decode a 5-byte record header — a big-endian u32 connection id and a kind — with the payload as a view, not a copy.',
    module: 'phases/phase2/ring-records.ts',
    servers: [2, 3, 4],
    hints: [
      'encodeRecord: allocate `new Uint8Array(RECORD_HEADER + (payload?.length ?? 0))`, then write the id, the kind at index 4, and `record.set(payload, RECORD_HEADER)`.',
      'Big-endian by hand: byte 0 is `(id >>> 24) & 0xff`, byte 1 `(id >>> 16) & 0xff`, and so on. Or let a DataView do it: `new DataView(record.buffer).setUint32(0, connection)` (big-endian is its default).',
      'recordConnection: `((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0` — the `>>> 0` turns the signed 32-bit result of `|` back into an unsigned number.',
      'recordPayload: `Buffer.from(record.buffer, record.byteOffset + RECORD_HEADER, record.length - RECORD_HEADER)` views the same memory.',
    ],
  },
  {
    id: 'binary-reply',
    phase: 2,
    number: '2.2',
    title: "the binary protocol's response header",
    goal: 'Write the 24-byte response header field by field, and build the reply to a Get without copying the value.',
    module: 'shared/protocol/binary/binary-reply.ts',
    servers: [2, 3, 4],
    hints: [
      'The header, one write per field: `target[offset] = MAGIC_RESPONSE; target[offset + 1] = opcode; target.writeUInt16BE(keyLength, offset + 2); target[offset + 4] = extrasLength; target[offset + 5] = 0;` — import what you need from constants.ts.',
      'Then `writeUInt16BE(status, offset + 6)`, `writeUInt32BE(bodyLength, offset + 8)`, `writeUInt32BE(opaque, offset + 12)`, and the CAS, a bigint, as `writeBigUInt64BE(cas, offset + 16)`.',
      'item(): `keyLength = withKey ? item.key.length : 0`, `valueLength = withValue ? item.value.length : 0`; one `Buffer.allocUnsafe(24 + 4 + keyLength)`; its header has extras 4 and body `4 + keyLength + valueLength`, and the item\'s CAS.',
      'item(), the rest: `head.writeUInt32BE(item.flags, 24)`; if withKey `head.write(item.key, 28, "latin1")`; `this.push(head)`; then `if (valueLength > 0) this.push(item.value)`.',
    ],
  },
  {
    id: 'ring-buffer',
    phase: 2,
    number: '2.3',
    title: 'a lock-free ring buffer',
    goal: 'Push and pop variable-length records through a SharedArrayBuffer between two threads, with no lock: plain writes, published by one Atomics.store.',
    module: 'phases/phase2/ring/ring-buffer.ts',
    servers: [2, 3, 4],
    hints: [
      'tryPush, first the checks: `if (record.length > this.maxRecordLength) throw new RangeError(…)`; `const size = align4(RECORD_HEADER_BYTES + record.length)`; `const offset = this.tail & this.mask`; `const padding = this.paddingFor(size)`; `if (!this.hasRoom(padding + size)) return false`.',
      'tryPush, the writes: `if (padding > 0) this.words[offset >> 2] = PADDING_MARKER`; `const start = padding > 0 ? 0 : offset`; `this.words[start >> 2] = record.length`; `this.bytes.set(record, start + RECORD_HEADER_BYTES)`.',
      'tryPush, publishing: `this.tail = (this.tail + padding + size) | 0; Atomics.store(this.control, Slot.TAIL, this.tail); if (Atomics.load(this.control, Slot.READER_SLEEPING) !== 0) Atomics.notify(this.control, Slot.TAIL);` then return true.',
      'recordStart: `const offset = this.head & this.mask; if (this.words[offset >> 2] !== PADDING_MARKER) return offset; this.head = (this.head + this.capacity - offset) | 0; return 0;` — release mirrors the end of tryPush with HEAD and WRITER_SLEEPING.',
    ],
  },
  {
    id: 'event-connection',
    phase: 2,
    number: '2.4',
    title: 'fairness and backpressure on the event loop',
    goal: 'Serve a connection one bounded turn at a time, write each turn\'s replies at once, yield to other sockets, and stop serving a client that does not read.',
    module: 'phases/phase2/event-connection.ts',
    servers: [2, 3, 4],
    hints: [
      'flush first, it is short: `const bytes = session.out.bytes; if (bytes === 0) return; const chunks = session.out.take(); this.settings.counters.written(bytes); this.socket.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes));`',
      'serve, the turn: `const budget = this.settings.writeHighWater - this.socket.writableLength; let step: Step = Step.NeedMore; for (let served = 0; served < this.settings.requestsPerTurn && session.out.bytes <= budget; served++) { step = session.step(); if (step !== Step.Continue) break; } this.flush(session);` — after the guard `if (session === null || this.closed || this.blocked || this.yielded) return;`',
      'serve, what next: Close → `return this.close();`. Too much unwritten → `this.blocked = true; this.socket.pause(); return` (onDrain un-blocks).',
      'serve, the yield: `if (step === Step.Continue) { this.yielded = true; this.socket.pause(); setImmediate(this.resumeAfterYield); return; }` and finally `if (this.draining) return this.close(); this.socket.resume();`.',
    ],
  },
];
