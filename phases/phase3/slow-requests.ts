/**
 * The slow-request log, as a request observer: a request whose execution took longer than the
 * threshold gets one warning line — at most {@link MAX_LINES_PER_SECOND} a second, the rest
 * counted in the next line, so a flood of slow requests cannot turn into a flood of log writes. The threshold lives
 * in a SharedArrayBuffer, so SIGHUP changes it at once in every thread.
 * @module
 */
import type { Logger } from 'pino';
import { LogThrottle } from '../../shared/runtime/log-throttle.ts';
import type { CommandFamily, Outcome, Protocol, RequestObserver } from '../../shared/protocol/request-observer.ts';

/** Enough lines to see what is slow, few enough that logging never becomes the slow part. */
export const MAX_LINES_PER_SECOND = 10;

/** Nanoseconds per millisecond. */
const NS_PER_MS = 1e6;

/** Logs requests slower than a threshold that any thread may read and the main thread may change. */
export class SlowRequests implements RequestObserver {
  /** Element 0 holds the threshold in ns (0 = off). One writer (the main thread, on reload): a plain double suffices. */
  private readonly threshold: Float64Array;
  private readonly throttle = new LogThrottle(MAX_LINES_PER_SECOND);

  private constructor(readonly buffer: SharedArrayBuffer, private readonly log: Pick<Logger, 'warn'>) {
    this.threshold = new Float64Array(buffer);
  }

  /** A new log with `slowMs` as its threshold (0 logs nothing). */
  static create(slowMs: number, log: Pick<Logger, 'warn'>): SlowRequests {
    const slow = new SlowRequests(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT), log);
    slow.setThreshold(slowMs);
    return slow;
  }

  /** The log of another thread, over its `buffer`, writing to this thread's `log`. */
  static attach(buffer: SharedArrayBuffer, log: Pick<Logger, 'warn'>): SlowRequests {
    return new SlowRequests(buffer, log);
  }

  /** Changes the threshold for every thread sharing the buffer. */
  setThreshold(slowMs: number): void {
    this.threshold[0] = slowMs * NS_PER_MS;
  }

  observe(family: CommandFamily, protocol: Protocol, outcome: Outcome, nanoseconds: number): void {
    const threshold = this.threshold[0]!;
    if (threshold === 0 || nanoseconds <= threshold) return;
    const { write, suppressed } = this.throttle.allow();
    if (!write) return;
    const ms = Number((nanoseconds / NS_PER_MS).toFixed(3));
    this.log.warn({ command: family, protocol, outcome, ms, suppressed }, suppressed > 0 ? `slow request (and ${suppressed} more not logged)` : 'slow request');
  }
}
