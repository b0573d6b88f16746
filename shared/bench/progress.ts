/**
 * A one-line progress bar, redrawn in place with a carriage return. It draws only when stdout is
 * a terminal: piped into a file or a CI log it stays silent and the report stays clean.
 * @module
 */

/** Width of the bar in characters. */
const BAR_WIDTH = 24;

/** Draws progress on the terminal, or nothing when there is none. */
export class ProgressBar {
  private readonly enabled: boolean;
  private drawn = false;

  /** @param stream - where to draw (default stdout); a non-TTY stream disables the bar */
  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    this.enabled = stream.isTTY === true;
  }

  /** Redraws the line: `label [#####-----] detail`; `fraction` is 0…1, or undefined for no bar. */
  update(label: string, fraction: number | undefined, detail: string): void {
    if (!this.enabled) return;
    const filled = fraction === undefined ? 0 : Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
    const bar = fraction === undefined ? '' : ` [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
    const text = `${label}${bar} ${detail}`;
    const columns = this.stream.columns ?? 80;
    this.stream.write(`\r${text.slice(0, columns - 1).padEnd(columns - 1)}`);
    this.drawn = true;
  }

  /** Erases the line so that the next output starts clean. */
  clear(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write(`\r${' '.repeat((this.stream.columns ?? 80) - 1)}\r`);
    this.drawn = false;
  }
}
