/**
 * Transcript assertions for binary replies: each expected reply names its opcode and status and,
 * unless it says otherwise, has no extras, no key and no value (an error's value is memcached's
 * words for its status, and its CAS is 0). A mismatch prints every reply received.
 * @module
 */
import assert from 'node:assert/strict';
import { Status, STATUS_TEXT } from '../constants.ts';
import type { BinaryResponse } from '../response-decoder.ts';
import { readable } from './harness.ts';

/** One expected reply. `cas` checks only zero versus non-zero: CAS values differ between servers. */
export interface Expect {
  readonly op: number;
  readonly status?: Status;
  readonly opaque?: number;
  readonly cas?: 'zero' | 'nonzero';
  /** Hex. */
  readonly extras?: string;
  readonly key?: string;
  readonly value?: string;
}

/** Flags as a Get reply carries them: 4 bytes, big-endian, in hex. */
export function flagsHex(flags: number): string {
  return flags.toString(16).padStart(8, '0');
}

/** A u64 counter as an Increment reply carries it, in latin1 (compare with `value`). */
export function counter(value: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(value);
  return bytes.toString('latin1');
}

/** Asserts that `actual` is exactly the replies in `expected`, in order. */
export function expectReplies(actual: readonly BinaryResponse[], expected: readonly Expect[]): void {
  const shown = actual.map(readable);
  const message = `received:\n${shown.map((r) => JSON.stringify(r)).join('\n')}`;
  assert.equal(actual.length, expected.length, `expected ${expected.length} replies\n${message}`);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    const status = want.status ?? Status.Success;
    const error = status !== Status.Success;
    const where = `reply ${i} (opcode 0x${want.op.toString(16)})\n${message}`;
    assert.equal(got.opcode, want.op, `opcode of ${where}`);
    assert.equal(got.status, status, `status of ${where}`);
    if (want.opaque !== undefined) assert.equal(got.opaque, want.opaque, `opaque of ${where}`);
    const cas = want.cas ?? (error ? 'zero' : undefined);
    if (cas !== undefined) assert.equal(got.cas === 0n ? 'zero' : 'nonzero', cas, `cas of ${where}`);
    assert.equal(got.extras.toString('hex'), want.extras ?? '', `extras of ${where}`);
    assert.equal(got.key.toString('latin1'), want.key ?? '', `key of ${where}`);
    const value = want.value ?? (error && want.key === undefined ? STATUS_TEXT[status] : '');
    assert.equal(got.value.toString('latin1'), value, `value of ${where}`);
  });
}
