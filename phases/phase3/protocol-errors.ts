/**
 * Protocol errors in the log, as a request observer: a request refused as malformed or too large
 * gets a warning line naming its command and protocol — throttled, so a client sending 100,000
 * bad commands costs a few log writes a second and slows nobody else. (Faults, requests that threw,
 * are logged once each where they are caught; values are never logged.)
 * @module
 */
import type { Logger } from 'pino';
import { LogThrottle } from '../../shared/runtime/log-throttle.ts';
import { Outcome, type CommandFamily, type Protocol, type RequestObserver } from '../../shared/protocol/request-observer.ts';

/** Enough to see what clients get wrong; more would only be the same line again. */
export const MAX_ERROR_LINES_PER_SECOND = 5;

/** Logs refused requests, a few a second. */
export class ProtocolErrors implements RequestObserver {
  private readonly throttle = new LogThrottle(MAX_ERROR_LINES_PER_SECOND);

  constructor(private readonly log: Pick<Logger, 'warn'>) {}

  observe(family: CommandFamily, protocol: Protocol, outcome: Outcome): void {
    if (outcome !== Outcome.Error) return;
    const { write, suppressed } = this.throttle.allow();
    if (!write) return;
    this.log.warn({ command: family, protocol, suppressed }, suppressed > 0 ? `protocol error (and ${suppressed} more not logged)` : 'protocol error');
  }
}
