/**
 * How a ring worker thread attaches phase 3's observers (phase 2 loads this module by URL and
 * calls {@link attachObserver}): the latency histograms and the slow-request threshold over the
 * main thread's SharedArrayBuffers, and a logger of this thread's own for slow-request lines.
 * @module
 */
import type { RequestObserver } from '../../shared/protocol/request-observer.ts';
import { createLogger } from '../../shared/runtime/logger.ts';
import { RequestMetrics } from './metrics/request-metrics.ts';
import { ObserverList } from './observers.ts';
import { SlowRequests } from './slow-requests.ts';
import { SharedLogLevel } from './shared-log-level.ts';
import { ProtocolErrors } from './protocol-errors.ts';

/** What the main thread hands each worker. */
export interface WorkerObserverData {
  readonly metrics: SharedArrayBuffer;
  readonly slow: SharedArrayBuffer;
  readonly logName: string;
  /** The log level, shared so that SIGHUP reaches this thread too. */
  readonly logLevel: SharedArrayBuffer;
}

/** Called once in each ring worker; `thread` numbers it among the threads that record (see request-metrics.ts). */
export function attachObserver(data: unknown, thread: number): RequestObserver {
  const { metrics, slow, logName, logLevel } = data as WorkerObserverData;
  const level = SharedLogLevel.attach(logLevel);
  const log = level.follow(createLogger(logName, level.get()));
  return new ObserverList([RequestMetrics.attach(metrics, thread), SlowRequests.attach(slow, log), new ProtocolErrors(log)]);
}
