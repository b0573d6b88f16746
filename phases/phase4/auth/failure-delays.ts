/**
 * Why a password guesser gets slower: every failed authentication from an address makes that
 * address's next answer wait longer — the first failure is free (a typo costs nothing), then
 * `baseMs`, doubling with each further failure up to `maxMs`. An address is forgotten `forgetMs`
 * after its last failure. Failures are counted per address, not per connection, so opening many
 * connections in parallel does not buy more guesses a second. The table is bounded: past
 * `maxAddresses` the address that failed longest ago is dropped first.
 * @module
 */

/** How failed attempts are slowed down. */
export interface FailureDelayPolicy {
  /** The wait after the second failure, doubled after each one after it. */
  readonly baseMs: number;
  /** The longest wait. */
  readonly maxMs: number;
  /** An address with no failure for this long starts afresh. */
  readonly forgetMs: number;
  /** Addresses remembered at once. */
  readonly maxAddresses: number;
}

/**
 * 100 ms doubling to 5 s: an honest client that mistypes twice waits a tenth of a second, while
 * a guesser is down to one guess every 5 s per address after seven failures. 10 minutes of
 * memory outlasts a guesser's pause; 10,000 addresses of ~100 bytes each is about 1 MB at most.
 */
export const DEFAULT_FAILURE_DELAYS: FailureDelayPolicy = { baseMs: 100, maxMs: 5000, forgetMs: 600_000, maxAddresses: 10_000 };

interface Failures {
  count: number;
  lastMs: number;
}

/** Failed authentications by source address, and the wait each next answer owes. */
export class FailureDelays {
  /** In order of last failure, oldest first (a failure moves its address to the end). */
  private readonly byAddress = new Map<string, Failures>();

  constructor(private readonly policy: FailureDelayPolicy = DEFAULT_FAILURE_DELAYS) {}

  /** Addresses remembered now. */
  get size(): number {
    return this.byAddress.size;
  }

  /** Records a failure from `address`; returns how long to hold its answer, in milliseconds. */
  failed(address: string, nowMs = Date.now()): number {
    const { baseMs, maxMs, forgetMs, maxAddresses } = this.policy;
    let entry = this.byAddress.get(address);
    if (entry !== undefined && nowMs - entry.lastMs >= forgetMs) entry = undefined;
    this.byAddress.delete(address);
    const count = (entry?.count ?? 0) + 1;
    this.evictOldest(nowMs, maxAddresses - 1);
    this.byAddress.set(address, { count, lastMs: nowMs });
    if (count === 1 || baseMs === 0) return 0;
    // 2^(count-2) grows past maxMs long before it could overflow; the exponent is capped anyway.
    return Math.min(maxMs, baseMs * 2 ** Math.min(count - 2, 30));
  }

  /** Failures remembered for `address` (0 once forgotten). */
  failures(address: string, nowMs = Date.now()): number {
    const entry = this.byAddress.get(address);
    return entry === undefined || nowMs - entry.lastMs >= this.policy.forgetMs ? 0 : entry.count;
  }

  /** Drops forgotten addresses from the old end, then the oldest until at most `keep` remain. */
  private evictOldest(nowMs: number, keep: number): void {
    for (const [address, entry] of this.byAddress) {
      if (this.byAddress.size <= keep && nowMs - entry.lastMs < this.policy.forgetMs) break;
      this.byAddress.delete(address);
    }
  }
}
