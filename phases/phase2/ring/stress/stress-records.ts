/**
 * The records the stress test pushes through the ring. Record `seq` is
 * [u32 seq][u32 checksum][payload]: the payload's length and bytes are a pure function of `seq`
 * (an xorshift stream), and the checksum is FNV-1a over the payload. The reader can therefore
 * prove each record is the next one (seq), whole (its checksum matches its bytes) and the right
 * one (its checksum matches the one expected for that seq) without any shared state.
 * @module
 */

/** seq + checksum. */
export const STRESS_HEADER_BYTES = 8;

/** FNV-1a's 32-bit offset basis and prime. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Knuth's multiplicative hash constant (2^32 / golden ratio), to spread seqs over the seed space. */
const GOLDEN = 0x9e3779b1;

/** How often a record is as long as the ring allows, and how often it is medium-sized. */
const MAX_EVERY = 4096;
const MEDIUM_EVERY = 16;
/** Medium records reach past a cache line or two; small ones are a few words. */
const MEDIUM_SPREAD = 1500;
const SMALL_SPREAD = 61;

/** Big-endian u32 access without a DataView per record. */
function writeU32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = value >>> 16;
  target[offset + 2] = value >>> 8;
  target[offset + 3] = value;
}

function readU32(source: Uint8Array, offset: number): number {
  return ((source[offset]! << 24) | (source[offset + 1]! << 16) | (source[offset + 2]! << 8) | source[offset + 3]!) >>> 0;
}

/** The xorshift32 seed for a record: never 0, which would make the stream all zeros. */
function seedOf(seq: number): number {
  return (Math.imul(seq, GOLDEN) ^ 0x2545f491) | 1;
}

/**
 * The payload length of record `seq`: mostly small, every 16th medium, every 4096th the largest
 * the ring takes, so records of every size meet the end of the data area and force wrap-around.
 */
export function payloadLength(seq: number, maxRecordLength: number): number {
  const maxPayload = maxRecordLength - STRESS_HEADER_BYTES;
  if (seq % MAX_EVERY === MAX_EVERY - 1) return maxPayload;
  const spread = seq % MEDIUM_EVERY === 0 ? MEDIUM_SPREAD : SMALL_SPREAD;
  return Math.min(maxPayload, (seedOf(seq) >>> 8) % spread);
}

/** Writes record `seq` into `target` and returns its length. */
export function fillRecord(seq: number, target: Uint8Array, maxRecordLength: number): number {
  const length = payloadLength(seq, maxRecordLength);
  let state = seedOf(seq);
  let hash = FNV_OFFSET;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const byte = state & 0xff;
    target[STRESS_HEADER_BYTES + i] = byte;
    hash = Math.imul(hash ^ byte, FNV_PRIME);
  }
  writeU32(target, 0, seq);
  writeU32(target, 4, hash);
  return STRESS_HEADER_BYTES + length;
}

/** The checksum record `seq` must carry, computed from the generator without storing the payload. */
function expectedChecksum(seq: number, length: number): number {
  let state = seedOf(seq);
  let hash = FNV_OFFSET;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    hash = Math.imul(hash ^ (state & 0xff), FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * Checks that `record` (its first `length` bytes) is record `seq`, whole and unaltered.
 * Returns what is wrong, or undefined.
 */
export function checkRecord(record: Uint8Array, length: number, seq: number, maxRecordLength: number): string | undefined {
  if (length < STRESS_HEADER_BYTES) return `record ${seq}: only ${length} bytes`;
  const got = readU32(record, 0);
  if (got !== seq >>> 0) return `expected record ${seq}, got ${got} (lost, duplicated or reordered)`;
  const payload = payloadLength(seq, maxRecordLength);
  if (length !== STRESS_HEADER_BYTES + payload) return `record ${seq}: ${length} bytes, expected ${STRESS_HEADER_BYTES + payload}`;
  let hash = FNV_OFFSET;
  for (let i = STRESS_HEADER_BYTES; i < length; i++) hash = Math.imul(hash ^ record[i]!, FNV_PRIME);
  const carried = readU32(record, 4);
  if (hash >>> 0 !== carried) return `record ${seq}: torn (checksum of its bytes ${hash >>> 0} ≠ carried ${carried})`;
  if (carried !== expectedChecksum(seq, payload)) return `record ${seq}: wrong bytes (checksum ${carried} ≠ expected)`;
  return undefined;
}
