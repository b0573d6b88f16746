/**
 * Phase 1's exercises, in course order: the store's rules (exptime, counters), the text
 * protocol's tokenizer, the lock every worker shares, and the pool of workers itself.
 * @module
 */
import type { Exercise } from './exercise.ts';

/** The exercises of phase 1, the blocking server. */
export const PHASE1_EXERCISES: readonly Exercise[] = [
  {
    id: 'exptime',
    phase: 1,
    number: '1.1',
    title: "memcached's exptime rules",
    goal: 'Turn the exptime a client sends into an absolute time, and decide when an item has expired.',
    module: 'shared/store/exptime.ts',
    servers: [1, 2, 3, 4],
    hints: [
      'Handle the cases in this order: 0, then negative, then "small", then "large". Only the last two depend on the 30-day line.',
      'expiresAt works in milliseconds: a relative exptime is nowMs + exptime * 1000; an absolute one is exptime * 1000 (it is already a Unix time in seconds).',
      'isExpired: `expiresAtMs !== NEVER && expiresAtMs <= nowMs`. expiresAt: `if (exptime === 0) return NEVER; if (exptime < 0) return ALREADY_EXPIRED; if (exptime <= MAX_RELATIVE_EXPTIME) return nowMs + exptime * 1000; return exptime * 1000;`',
    ],
  },
  {
    id: 'counter-value',
    phase: 1,
    number: '1.2',
    title: 'incr and decr, exactly',
    goal: "Read a stored value as memcached's strtoull does, and apply incr (wrapping at 2^64) or decr (stopping at 0).",
    module: 'shared/store/counter-value.ts',
    servers: [1, 2, 3, 4],
    hints: [
      'Start with applyDelta: BigInt arithmetic, a mask for the wrap, a comparison for the floor. Then parseCounter, one byte at a time with an index `i` from `start` to `end`.',
      'parseCounter in four steps: skip whitespace (0x20 and 0x09–0x0d); note one optional 0x2b (+) or 0x2d (-); scan digits (0x30–0x39) — zero digits means undefined; the byte after the digits, if any, must be whitespace or 0x00.',
      'Then skip leading "0" digits so only significant ones count (more than 20 → undefined), make `BigInt(bytes.toString("latin1", first, i))`, and reject it if it is above MAX_COUNTER, or if the sign was "-" and the value is not 0n.',
      'applyDelta: `incr ? (value + delta) & MAX_COUNTER : value > delta ? value - delta : 0n`.',
    ],
  },
  {
    id: 'text-tokens',
    phase: 1,
    number: '1.3',
    title: 'the command-line tokenizer',
    goal: 'Split a command line into words without making strings, and read numbers straight from the bytes, rejecting anything memcached would.',
    module: 'shared/protocol/text/text-tokens.ts',
    servers: [1, 2, 3, 4],
    hints: [
      'split: `import { LineTokensBase, SPACE } from` line-tokens-base.ts; two nested loops over `buf[i]` — skip spaces, then note the start, skip non-spaces, note the end. Store into `this.starts[this.count]`, `this.ends[this.count]` and count up; reset `this.count = 0` and `this.buf = buf` first.',
      'is() is startsWith() with one more condition: the lengths must be equal. isKey: check the length against maxLength, then every byte: `byte < SPACE || byte === 0x7f` means false.',
      'unsigned: `const digits = this.scanNumber(i)` does the syntax (whitespace, sign, leading zeros) and counts the significant digits. Return -1 when `digits < 0 || digits > 16`, or when `this.negative && digits > 0`; else `const value = this.decimal(this.digitsAt, digits)` and `value <= max ? value : -1`.',
      'signed: `digits < 0 || digits > 19` → NaN; `digits === 19 && this.beyondInt64()` → NaN; then `const value = digits > 16 ? Number.MAX_SAFE_INTEGER : Math.min(this.decimal(this.digitsAt, digits), Number.MAX_SAFE_INTEGER)` and `return this.negative && value > 0 ? -value : value` (so `-0` gives 0, not −0).',
    ],
  },
  {
    id: 'atomics-lock',
    phase: 1,
    number: '1.4',
    title: 'a lock built on Atomics',
    goal: 'Build the three-state futex mutex: one compareExchange when the lock is free, Atomics.wait when it is not, and Atomics.notify only when someone sleeps.',
    module: 'shared/store/atomics-lock.ts',
    servers: [1, 2, 3, 4],
    hints: [
      'tryLock is one line: `Atomics.compareExchange(cells, index, Free, Locked)` returns the value it found; the lock is yours when that value was Free.',
      'lock(): try the same compareExchange first. If it failed, you will wait — but first the word must say Contended, so the holder knows to wake you: `state = Atomics.exchange(cells, index, Contended)`. If that returned Free, the lock was released in between and it is yours.',
      'lock(), the loop: `while (state !== Free) { Atomics.wait(cells, index, Contended); state = Atomics.exchange(cells, index, Contended); }`. wait() only sleeps if the word still reads Contended, so no wake-up is lost.',
      'unlock(): `const previous = Atomics.exchange(cells, index, Free); if (previous === Contended) Atomics.notify(cells, index, 1); else if (previous === Free) throw new Error("the lock was not held");`',
    ],
  },
  {
    id: 'worker-pool',
    phase: 1,
    number: '1.5',
    title: 'the worker pool',
    goal: 'Hand each command to an idle worker thread, queue the rest in arrival order, and route every reply back to the command it answers.',
    module: 'phases/phase1/worker-pool.ts',
    servers: [1],
    hints: [
      'execute() returns `new Promise((resolve) => { … })`. Inside, build `const pending: Pending = { job: { id: ++this.nextId, command }, resolve }`: keeping `resolve` is how a later message completes this promise.',
      'In execute(): `const worker = this.idle.pop(); if (worker) this.dispatch(worker, pending); else this.queue.push(pending);` — dispatch() already records the worker in `running`.',
      'finished(worker, done): `const pending = this.running.get(worker); this.running.delete(worker); pending?.resolve({ chunks: done.chunks, after: done.after });`',
      'Then give the worker more work or let it rest: `const next = this.queue.shift(); if (next) this.dispatch(worker, next); else this.idle.push(worker);` — shift(), not pop(): the oldest command goes first.',
    ],
  },
];
