/**
 * Phase 4's edge: the {@link ConnectionGuard} that phase 2's connections report to. It turns a
 * socket away when its address already holds its share of connections, watches each connection
 * it lets in (an {@link EdgeWatch}: reads, turns, the client's token bucket), and once every tick
 * sweeps all watches for the two deadlines — nothing sent for the idle timeout (memcached's
 * `idle_kicks`), or half a request held for the partial-request timeout (slowloris). One timer
 * for the whole server, whatever the number of connections: a sweep is one loop over the
 * watches, with no timer to arm or cancel per connection. The tick is an eighth of the shortest deadline; reads are stamped with
 * the clock of the last sweep (no clock read per read), so the idle check adds one tick, and
 * neither deadline is ever early or more than a quarter late.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ConnectionGuard, ConnectionWatch, GuardedConnection } from '../../../shared/runtime/connection-guard.ts';
import { GuardCounters } from '../../../shared/runtime/guard-counters.ts';
import type { ServerCounters } from '../../../shared/runtime/server-counters.ts';
import type { Resource } from '../../../shared/runtime/shutdown-parts.ts';
import { LogThrottle } from '../../../shared/runtime/log-throttle.ts';
import { AddressLimit } from './address-limit.ts';
import { BucketTable } from './bucket-table.ts';
import { effectiveBurst, type EdgeLimits, type RateLimit } from './edge-limits.ts';
import { EdgeWatch, type WatchContext } from './edge-watch.ts';

/** The sweep's tick bounds: no busier than 20 a second, no lazier than once a second. */
const MIN_TICK_MS = 50;
const MAX_TICK_MS = 1000;

/**
 * Unused buckets kept at least: enough that clients which come and go keep their debt, a few
 * hundred KiB at most. The table also holds twice the connection limit, so that every connected
 * client's bucket fits with room for as many that left.
 */
const MIN_BUCKETS = 4096;

/** Where a socket's address count is kept: its source address (unix sockets share one). */
export function addressOf(socket: Socket): string {
  return socket.remoteAddress ?? 'local';
}

/** Which bucket a connection spends from: by default its source address. */
export type BucketKey = (socket: Socket) => string;

/** The edge's guard over every connection. */
export class EdgeGuard implements ConnectionGuard, Resource, WatchContext {
  now = performance.now();
  rateLimit: RateLimit;
  readonly buckets: BucketTable;
  readonly counters: GuardCounters;
  private readonly watches = new Set<EdgeWatch>();
  private readonly perAddress: AddressLimit | null;
  private readonly sweeper: NodeJS.Timeout | undefined;
  private readonly kickLog = new LogThrottle(1);
  private tickMs = MAX_TICK_MS;

  constructor(
    private readonly limits: EdgeLimits,
    private readonly serverCounters: ServerCounters,
    private readonly log: Logger,
    counters = new GuardCounters(),
    private readonly bucketKey: BucketKey = addressOf,
  ) {
    this.counters = counters;
    this.rateLimit = { ...limits, burst: effectiveBurst(limits.rate, limits.burst) };
    this.buckets = new BucketTable(limits.rate, this.rateLimit.burst, Math.max(MIN_BUCKETS, 2 * limits.maxConnections));
    this.perAddress = limits.maxPerAddress > 0 ? new AddressLimit(limits.maxPerAddress) : null;
    const deadlines = [limits.idleTimeoutMs, limits.partialTimeoutMs].filter((ms) => ms > 0);
    if (deadlines.length > 0) {
      this.tickMs = Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, Math.min(...deadlines) / 8));
      this.sweeper = setInterval(this.sweep, this.tickMs);
      // The sweep alone must not keep a process alive that is otherwise done.
      this.sweeper.unref();
    }
  }

  admit(socket: Socket): boolean {
    if (this.perAddress === null) return true;
    const key = addressOf(socket);
    if (!this.perAddress.tryOpen(key)) {
      this.counters.add('rejected_address_connections');
      return false;
    }
    const perAddress = this.perAddress;
    socket.once('close', () => perAddress.closed(key));
    return true;
  }

  watch(socket: Socket, connection: GuardedConnection): ConnectionWatch {
    // The key is taken when the connection is made: after a login, when there is one (phase 4's
    // authentication hands the socket on only then), so a user's connections share one bucket.
    const watch = new EdgeWatch(this, connection, this.bucketKey(socket));
    this.watches.add(watch);
    socket.once('close', () => {
      this.watches.delete(watch);
      watch.closed();
    });
    return watch;
  }

  /** New rate and burst and mode (SIGHUP): every bucket takes them at once. */
  setRateLimit(limit: RateLimit): void {
    this.rateLimit = { ...limit, burst: effectiveBurst(limit.rate, limit.burst) };
    this.buckets.setLimits(performance.now(), limit.rate, this.rateLimit.burst);
  }

  /** Connections watched now. */
  get watched(): number {
    return this.watches.size;
  }

  /** Moves the clock on and closes every connection past a deadline. */
  private readonly sweep = (): void => {
    const now = (this.now = performance.now());
    const { idleTimeoutMs, partialTimeoutMs } = this.limits;
    for (const watch of this.watches) {
      // Held, the server is the one not reading: neither deadline is the client's fault.
      if (watch.held || watch.kicked) continue;
      if (partialTimeoutMs > 0 && watch.partialSinceMs >= 0 && now - watch.partialSinceMs >= partialTimeoutMs) {
        watch.kicked = true;
        this.counters.add('partial_request_kicks');
        this.logKick(watch.key);
        watch.connection.kick();
      } else if (idleTimeoutMs > 0 && now - watch.lastReadMs >= idleTimeoutMs + this.tickMs) {
        watch.kicked = true;
        this.serverCounters.idleKicked();
        watch.connection.kick();
      }
    }
  };

  /** Says so, at most once a second with the count of those not said (a slowloris is thousands). */
  private logKick(peer: string): void {
    const { write, suppressed } = this.kickLog.allow();
    if (!write) return;
    this.log.warn({ peer, timeoutMs: this.limits.partialTimeoutMs, alsoClosed: suppressed },
      'closed a connection that held part of a request past the partial-request deadline');
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    return Promise.resolve();
  }
}
