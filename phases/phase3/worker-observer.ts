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
import { ProtocolErrors } from './protocol-errors.ts';

/** What the main thread hands each worker. */
export interface WorkerObserverData {
  readonly metrics: SharedArrayBuffer;
  readonly slow: SharedArrayBuffer;
  readonly logName: string;
  readonly logLevel: string;
}

/** Called once in each ring worker. */
export function attachObserver(data: unknown): RequestObserver {
  const { metrics, slow, logName, logLevel } = data as WorkerObserverData;
  const log = createLogger(logName, logLevel);
  return new ObserverList([RequestMetrics.attach(metrics), SlowRequests.attach(slow, log), new ProtocolErrors(log)]);
}
