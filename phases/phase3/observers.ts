/**
 * Several request observers behind one: a session has a single observer slot, and phase 3 hangs
 * two on it (the latency histograms and the slow-request log).
 * @module
 */
import type { CommandFamily, Outcome, Protocol, RequestObserver } from '../../shared/protocol/request-observer.ts';

/** Tells each observer in turn. */
export class ObserverList implements RequestObserver {
  constructor(private readonly observers: readonly RequestObserver[]) {}

  observe(family: CommandFamily, protocol: Protocol, outcome: Outcome, nanoseconds: number): void {
    for (const observer of this.observers) observer.observe(family, protocol, outcome, nanoseconds);
  }
}
