/**
 * Phase 4's exercises, in course order: the parts of the advanced server that are the lesson.
 * @module
 */
import type { Exercise } from './exercise.ts';

/** The exercises of phase 4, the advanced server. */
export const PHASE4_EXERCISES: readonly Exercise[] = [
  {
    id: 'sasl-plain',
    phase: 4,
    number: '4.1',
    title: 'SASL PLAIN\'s login message',
    goal: 'Split the message a binary client logs in with — [authzid] NUL user NUL password — into the user and the password, and refuse every message that is not exactly that: it comes from a client nobody has authenticated yet.',
    module: 'phases/phase4/auth/sasl-plain.ts',
    servers: [4],
    hints: [
      'Import NUL and MAX_PLAIN_FIELD from phases/phase4/auth/plain-message.ts. Buffer has indexOf: `const first = message.indexOf(NUL);` finds the first separator (or -1).',
      'Look for the second from just after the first, `message.indexOf(NUL, first + 1)`, and make sure there is no third: `message.indexOf(NUL, second + 1) !== -1` means the message is malformed.',
      'The three fields are views, no copies: `message.subarray(0, first)`, `message.subarray(first + 1, second)` and `message.subarray(second + 1)`. Refuse an empty user or password, and any field whose length is over MAX_PLAIN_FIELD.',
      'The authzid rule: `if (authzid.length > 0 && !authzid.equals(authcid)) return null;` — then `return { user: authcid.toString(\'latin1\'), password };`.',
    ],
  },
  {
    id: 'slab-classes',
    phase: 4,
    number: '4.2',
    title: 'the slab class table',
    goal: 'Draw up memcached\'s size classes from the minimum chunk, the growth factor and the largest chunk — each class the one before times the factor, rounded to 8 bytes, the last exactly the maximum — and find the class an item of a given size goes to.',
    module: 'phases/phase4/slab/slab-classes.ts',
    servers: [4],
    hints: [
      'Import PAGE_BYTES, MAX_CLASSES and CHUNK_ALIGN from phases/phase4/slab/slab-class-spec.ts. Keep `let size = spec.headerBytes + spec.minChunk;` and a `classes` array you push `{ id: classes.length + 1, chunkSize, chunksPerPage }` onto.',
      'The loop: `while (classes.length < MAX_CLASSES - 1 && size < chunkMax / growthFactor)`. Inside, round first — `const chunkSize = Math.ceil(size / CHUNK_ALIGN) * CHUNK_ALIGN;` — then push, then `size = chunkSize * growthFactor;` (the rounded size is what grows).',
      'After the loop, one more push: `{ id: classes.length + 1, chunkSize: chunkMax, chunksPerPage: Math.floor(PAGE_BYTES / chunkMax) }`. Before the loop, `if (!(growthFactor > 1)) throw new RangeError(…)` and the same for a chunkMax above PAGE_BYTES or below the first chunk.',
      'classFor: `let low = 0, high = classes.length - 1; if (bytes > classes[high].chunkSize) return -1; while (low < high) { const mid = (low + high) >>> 1; if (classes[mid].chunkSize >= bytes) high = mid; else low = mid + 1; } return low;`',
    ],
  },
  {
    id: 'record-reader',
    phase: 4,
    number: '4.3',
    title: 'A checksummed record reader that stops at a torn tail',
    goal: 'Read the length-and-CRC-framed records of a persistence log, hand each valid one over, and tell the end, a torn last record (what a crash during an append leaves) and corruption in the middle apart — the decision a restart makes before it replays anything.',
    module: 'phases/phase4/persistence/record-reader.ts',
    servers: [4],
    hints: [
      'Import HEADER_BYTES and MAX_PAYLOAD_BYTES from phases/phase4/persistence/record-format.ts and crc32 from node:zlib. Keep an offset `at`, starting at 0, and loop while `at < bytes.length`.',
      'First make sure the header fits: `if (at + HEADER_BYTES > bytes.length)` the last record is torn. Then `const length = bytes.readUInt32LE(at)` and `const end = at + HEADER_BYTES + length`; if `end > bytes.length` it is torn too — check this before reading the payload.',
      'The payload is `bytes.subarray(at + HEADER_BYTES, end)`; it is valid when `length !== 0`, `length <= MAX_PAYLOAD_BYTES` and `crc32(payload) === bytes.readUInt32LE(at + 4)`. A valid one: `sink(payload, at); at = end;`.',
      'A bad record stops reading with `validBytes: at`: Torn if every byte from `end` on is 0 (a loop, or `bytes.subarray(end).every((b) => b === 0)`), otherwise Corrupt. After the loop: `return { validBytes: at, stop: ReadStop.End }`.',
    ],
  },
  {
    id: 'token-bucket',
    phase: 4,
    number: '4.4',
    title: 'the token bucket',
    goal: 'Write the rate limiter the edge keeps for each client: a bucket of at most `burst` tokens that earns `rate` a second, refilled from the clock when used (no timer), which says whether a request may pass and how long until one may.',
    module: 'phases/phase4/edge/token-bucket.ts',
    servers: [4],
    hints: [
      'Everything starts with refill: every public method calls it first, so take and waitMs only compare `this.level` with `count` once it has run.',
      'refill: `const elapsed = nowMs - this.lastMs; if (elapsed <= 0) return;` — then move `this.lastMs = nowMs` and add `elapsed * this.rate / 1000`, capped with Math.min at `this.burst`.',
      'take: `this.refill(nowMs); if (this.level + 1e-9 < count) return false; this.level -= count; return true;` — the 1e-9 lets 0.9999999999999998 count as the token it is.',
      'waitMs: `this.refill(nowMs); const missing = count - this.level; return missing <= 1e-9 ? 0 : (missing * 1000) / this.rate;` — a level in debt (negative) makes `missing` larger, which is how a client pays for requests charged after they were served.',
    ],
  },
];
