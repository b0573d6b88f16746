/**
 * The edge as phase 4 plugs it in: from the configuration, the guard that phase 2's connections
 * report to (rate-limiting each logged-in user, or else each source address) (only when an edge option is set, so a server without one carries no guard at all and
 * shows memcached's stats and nothing more), and what SIGHUP changes on it.
 * @module
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { GuardSetup } from '../../../shared/runtime/connection-guard.ts';
import { GuardCounters } from '../../../shared/runtime/guard-counters.ts';
import type { Phase4Options } from '../config/phase4-config.ts';
import { authenticatedUser } from '../auth/auth-door.ts';
import { addressOf, EdgeGuard } from './edge-guard.ts';
import type { EdgeLimits, RateLimit } from './edge-limits.ts';

/** The edge's part of phase 4. */
export interface EdgePart {
  /** Handed to phase 2's assembly; undefined when no edge option is set. */
  readonly guard: GuardSetup | undefined;
  /** Applies a reload's rate limit (rate, burst, mode). */
  reload(options: Phase4Options): void;
  /** The guard, once the server is built (for tests and the ready line). */
  readonly running: EdgeGuard | null;
  /** What each loop of `--threads N` guards its own sockets with; null when no edge option is set. */
  readonly inLoops: EdgeLimits | null;
}

/** The rate limit the options ask for. */
function rateLimitOf(options: Phase4Options): RateLimit {
  return { rate: options['rate-limit'], burst: options['rate-burst'], mode: options['rate-limit-mode'] };
}

/** The limits the options ask for. */
export function edgeLimitsOf(options: Phase4Options): EdgeLimits {
  return {
    ...rateLimitOf(options),
    maxPerAddress: options['max-connections-per-address'],
    idleTimeoutMs: options['idle-timeout'] * 1000,
    partialTimeoutMs: options['partial-request-timeout'] * 1000,
    maxConnections: options['max-connections'],
  };
}

/**
 * A client, for its rate limit: the user it logged in as (`-Y`, SASL), whatever address it comes
 * from, or else its source address. The two never collide: an address never starts with `user:`.
 */
export function clientKey(socket: Socket): string {
  const user = authenticatedUser(socket);
  return user === null ? addressOf(socket) : `user:${user}`;
}

/** Whether any edge option is set. */
function wanted(limits: EdgeLimits): boolean {
  return limits.rate > 0 || limits.maxPerAddress > 0 || limits.idleTimeoutMs > 0 || limits.partialTimeoutMs > 0;
}

/** The edge for `options`. */
export function edgePart(options: Phase4Options, log: Logger): EdgePart {
  const limits = edgeLimitsOf(options);
  let running: EdgeGuard | null = null;
  const counters = new GuardCounters();
  const guard: GuardSetup | undefined = wanted(limits)
    ? {
      idleTimeoutSeconds: options['idle-timeout'],
      stats: counters.buffer,
      create(serverCounters) {
        running = new EdgeGuard(limits, serverCounters, log, counters, clientKey);
        return running;
      },
    }
    : undefined;
  return {
    guard,
    inLoops: guard === undefined ? null : limits,
    get running() {
      return running;
    },
    reload(next) {
      const limit = rateLimitOf(next);
      if (running !== null) return running.setRateLimit(limit);
      if (limit.rate > 0) log.warn('rate-limit was not applied: the server started without any edge option; restart it to limit rates');
    },
  };
}
