/**
 * A worker thread for the cross-thread tests: attaches to request metrics (or one histogram) that
 * the test thread created, records its share of values, and reports back. The test checks that
 * every figure read in the test thread covers every worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { signalReady } from '../../../../shared/runtime/spawn-worker.ts';
import { Outcome, Protocol } from '../../../../shared/protocol/request-observer.ts';
import { LatencyHistogram } from '../latency-histogram.ts';
import { RequestMetrics } from '../request-metrics.ts';

/** What the test thread sends: which memory to record into, and how much. */
export interface RecordJob {
  readonly histogram: SharedArrayBuffer;
  readonly metrics: SharedArrayBuffer;
  /** Fold threshold for the histogram (small, to hit the fold path from several threads). */
  readonly foldAt: number;
  readonly id: number;
  readonly records: number;
}

const job = workerData as RecordJob;
const histogram = new LatencyHistogram(job.histogram, 0, { foldAt: job.foldAt });
// Worker `id` (1 … 3) records into shard `id`; the test thread's shard is 0.
const metrics = RequestMetrics.attach(job.metrics, job.id);
signalReady();
parentPort!.once('message', () => {
  for (let i = 0; i < job.records; i++) {
    // Values 1 … 1000 µs, different per worker; sums are checked exactly by the test.
    histogram.record(((i % 1000) + 1) * 1000 + job.id);
    metrics.observe('get', Protocol.Text, i % 10 === 0 ? Outcome.Error : Outcome.Ok, 2000);
  }
  parentPort!.postMessage('done');
});
