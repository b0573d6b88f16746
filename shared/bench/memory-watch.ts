/**
 * Keeps a connections run from taking the machine down: samples the memory the kernel says is
 * available (MemAvailable in /proc/meminfo: free memory plus what it can reclaim) and calls back
 * once it falls under a floor, so the run stops opening connections and reports memory as the
 * limit that stopped it. Elsewhere than Linux it watches nothing.
 * @module
 */
import { readFileSync } from 'node:fs';

/** MemAvailable in bytes, or undefined where /proc/meminfo is not there. */
export function availableMemoryBytes(): number | undefined {
  try {
    const match = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `onLow` once when available memory falls under `floorBytes`; sampled every `intervalMs`. */
export class MemoryWatch {
  /** The least available memory seen, in bytes (undefined where it cannot be read). */
  lowestBytes: number | undefined;
  /** True once the floor was crossed. */
  tripped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly floorBytes: number, private readonly onLow: () => void, intervalMs = 250) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    // The watch alone must not keep the bench alive.
    this.timer.unref();
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const available = availableMemoryBytes();
    if (available === undefined) return;
    this.lowestBytes = Math.min(this.lowestBytes ?? available, available);
    if (available < this.floorBytes && !this.tripped) {
      this.tripped = true;
      this.onLow();
    }
  }
}
