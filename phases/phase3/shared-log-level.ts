/**
 * The log level, shared with worker threads: SIGHUP changes it on the main thread, and a worker's
 * logger picks the new level up the next time it writes. A ring worker spends its life blocked in
 * Atomics.wait, so no message or timer could reach it; a word in shared memory can.
 * @module
 */
import type { Logger } from 'pino';
import { LOG_LEVELS } from './config/phase3-options.ts';

/** One of pino's levels that phase 3 accepts. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The level as an index into {@link LOG_LEVELS}, in one Int32 of shared memory. */
export class SharedLogLevel {
  private readonly word: Int32Array;

  private constructor(readonly buffer: SharedArrayBuffer) {
    this.word = new Int32Array(buffer);
  }

  /** A new shared level, set to `level`. */
  static create(level: string): SharedLogLevel {
    const shared = new SharedLogLevel(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    shared.set(level);
    return shared;
  }

  /** The level another thread created over `buffer`. */
  static attach(buffer: SharedArrayBuffer): SharedLogLevel {
    return new SharedLogLevel(buffer);
  }

  /** Sets the level for every thread (unknown names are ignored: the configuration has validated it). */
  set(level: string): void {
    const index = (LOG_LEVELS as readonly string[]).indexOf(level);
    if (index >= 0) Atomics.store(this.word, 0, index);
  }

  /** The level now. */
  get(): LogLevel {
    return LOG_LEVELS[Atomics.load(this.word, 0)]!;
  }

  /** A `warn` that brings `log` to the shared level first (the only level worker observers write at). */
  follow(log: Logger): Pick<Logger, 'warn'> {
    return {
      warn: (object: object, message: string) => {
        const level = this.get();
        if (log.level !== level) log.level = level;
        log.warn(object, message);
      },
    } as Pick<Logger, 'warn'>;
  }
}
