/**
 * A bound on how often one kind of log line is written: at most `perSecond` lines in any
 * one-second window, the rest counted and reported with the next line let through. A client
 * sending 100,000 bad commands then costs a handful of log writes a second, not 100,000 — so
 * logging can never become what slows the other clients down.
 * @module
 */

/** Lets through at most `perSecond` lines a second and counts the others. */
export class LogThrottle {
  private windowStartedMs = 0;
  private linesInWindow = 0;
  private suppressed = 0;

  constructor(private readonly perSecond: number) {}

  /**
   * Whether a line may be written now. When it may, `suppressed` is how many were held back
   * since the last line let through (say so in the line); otherwise the refusal is counted.
   */
  allow(nowMs = Date.now()): { readonly write: boolean; readonly suppressed: number } {
    if (nowMs - this.windowStartedMs >= 1000) {
      this.windowStartedMs = nowMs;
      this.linesInWindow = 0;
    }
    if (this.linesInWindow >= this.perSecond) {
      this.suppressed++;
      return REFUSED;
    }
    this.linesInWindow++;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return suppressed === 0 ? WRITE : { write: true, suppressed };
  }
}

/** Shared answers, so the common cases allocate nothing. */
const REFUSED = { write: false, suppressed: 0 } as const;
const WRITE = { write: true, suppressed: 0 } as const;
