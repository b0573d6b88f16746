/**
 * Watches the server's connection count (`stats` curr_connections) from the clean connection: the
 * baseline before fuzzing, the peak seen at each check, and whether the count returns to the
 * baseline once every fuzz connection has closed. A server may release a closed connection a
 * moment after the client sees the close, so the end check polls until the count is back or a
 * deadline passes; whatever is still counted then has leaked.
 * @module
 */
import type { CleanConnection } from './clean-connection.ts';

/** Between two polls of the end check: short against the deadline, long against a stats call. */
const POLL_INTERVAL_MS = 50;

/** The connection counts of one run. */
export interface ConnectionCounts {
  readonly baseline: number | null;
  readonly peak: number | null;
  readonly end: number | null;
  /** Connections still counted after the deadline (0 when the count could not be read). */
  readonly leaked: number;
}

/** Tracks curr_connections. */
export class ConnectionWatcher {
  readonly #clean: CleanConnection;
  #baseline: number | null = null;
  #peak: number | null = null;

  constructor(clean: CleanConnection) {
    this.#clean = clean;
  }

  /** Reads the baseline: the clean connection is open, no fuzz connection yet. */
  async start(): Promise<void> {
    this.#baseline = await this.#clean.currConnections();
    this.#peak = this.#baseline;
  }

  /** Reads the count now, for the peak. */
  async sample(): Promise<void> {
    const now = await this.#clean.currConnections();
    if (now !== null) this.#peak = Math.max(this.#peak ?? now, now);
  }

  /** After every fuzz connection closed: polls until the count is back to the baseline or `deadlineMs` passes. */
  async settle(deadlineMs: number): Promise<ConnectionCounts> {
    const baseline = this.#baseline;
    const until = performance.now() + deadlineMs;
    let end = await this.#clean.currConnections();
    while (baseline !== null && (end === null || end > baseline) && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      end = await this.#clean.currConnections();
    }
    const leaked = baseline !== null && end !== null ? Math.max(0, end - baseline) : 0;
    return { baseline, peak: this.#peak, end, leaked };
  }
}
