/**
 * The server's resident memory (VmRSS from /proc, through the bench's reader) at the start, its
 * peak over the samples, and at the end; only for a server the fuzzer started, since only then is
 * its pid known. Growth that does not come back after the fuzz connections closed is worth a look.
 * @module
 */
import { procAvailable, snapshot } from '../bench/proc-stats.ts';

/** RSS in bytes. */
export interface RssFigures {
  readonly start: number;
  readonly peak: number;
  readonly end: number;
}

/** Samples one process's RSS. */
export class MemoryWatch {
  readonly #pid: number;
  readonly #start: number;
  #peak: number;
  #last: number;

  private constructor(pid: number, start: number) {
    this.#pid = pid;
    this.#start = start;
    this.#peak = start;
    this.#last = start;
  }

  /** Starts watching `pid`; null when /proc cannot show it (not Linux, or not our process). */
  static start(pid: number | null): MemoryWatch | null {
    if (pid === null || !procAvailable(pid)) return null;
    return new MemoryWatch(pid, snapshot(pid).rssBytes);
  }

  /** Takes a sample (a process that is gone reads as 0 and leaves the figures as they were). */
  sample(): void {
    const rss = snapshot(this.#pid).rssBytes;
    if (rss === 0) return;
    this.#last = rss;
    this.#peak = Math.max(this.#peak, rss);
  }

  /** The figures so far; the last sample is the end. */
  figures(): RssFigures {
    return { start: this.#start, peak: this.#peak, end: this.#last };
  }
}
