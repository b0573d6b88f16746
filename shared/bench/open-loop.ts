/**
 * The open-loop schedule: request i is due at start + ⌊i × 1000 / rate⌋ ms, whatever the server
 * is doing. A 1 ms timer sends everything due, round-robin over drivers with room in flight; what
 * finds no room stays due, and its latency still counts from its scheduled time.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { LoadDriver } from './load-driver.ts';

/**
 * Node timers cannot fire more often than once a millisecond, so requests are released in
 * per-millisecond batches, each stamped with the millisecond it was scheduled for.
 */
const TICK_MS = 1;

/** Sends requests at a fixed rate until stopped. */
export class OpenLoopScheduler {
  private readonly drivers: readonly LoadDriver[];
  private readonly msPerRequest: number;
  private start = 0;
  private issued = 0;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param drivers - the connections to spread requests over
   * @param rate - requests per second
   */
  constructor(drivers: readonly LoadDriver[], rate: number) {
    this.drivers = drivers;
    this.msPerRequest = 1000 / rate;
  }

  /** Requests scheduled but not yet sent because every connection was full. */
  get backlog(): number {
    return Math.max(0, Math.floor((performance.now() - this.start) / this.msPerRequest) - this.issued);
  }

  /** Starts the schedule now. */
  begin(): void {
    this.start = performance.now();
    this.timer = setInterval(this.tick, TICK_MS);
  }

  /** Stops sending. */
  stop(): void {
    clearInterval(this.timer);
  }

  private readonly tick = (): void => {
    const now = performance.now();
    let intended = this.start + Math.floor(this.issued * this.msPerRequest);
    while (intended <= now) {
      const driver = this.nextDriverWithRoom();
      if (!driver) return;
      driver.send(intended);
      this.issued++;
      intended = this.start + Math.floor(this.issued * this.msPerRequest);
    }
  };

  private nextDriverWithRoom(): LoadDriver | undefined {
    for (let tried = 0; tried < this.drivers.length; tried++) {
      const driver = this.drivers[this.next]!;
      this.next = (this.next + 1) % this.drivers.length;
      if (driver.canSend) return driver;
    }
    return undefined;
  }
}
