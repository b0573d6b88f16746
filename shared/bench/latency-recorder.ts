/**
 * Collects what the load generator measures: request outcomes and two HDR latency histograms in
 * microseconds. `latency` runs from when a request was *meant* to be sent (open loop: its slot in
 * the schedule, less the timer slack of load-driver.ts), so a stall cannot hide itself by delaying
 * the requests behind it (coordinated omission); `service` runs from when it was actually written.
 * In a closed loop the two are the same. Each generator thread keeps its own recorder; the
 * coordinator merges them (`exported` / `absorb`) after the window, so threads share nothing.
 * @module
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { ReplyOutcome } from './reply-counter.ts';

/** Latencies are recorded in whole microseconds. */
const MICROS_PER_MS = 1000;
/** 60 s: anything slower is recorded as 60 s (requests time out well before). */
const HIGHEST_MICROS = 60_000_000;
/** Three significant digits: percentiles exact to 0.1 %, at ~200 KB per histogram. */
const SIGNIFICANT_DIGITS = 3;

/** Latency percentiles, in milliseconds. */
export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_MICROS, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, autoResize: false });
}

function toMicros(ms: number): number {
  return Math.min(HIGHEST_MICROS, Math.max(1, Math.round(ms * MICROS_PER_MS)));
}

function summarise(histogram: Histogram): LatencySummary {
  const ms = (micros: number) => micros / MICROS_PER_MS;
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

/** A recorder's content as plain data, for a message between threads. */
export interface ExportedRecord {
  readonly completed: number;
  readonly errorReplies: number;
  readonly hits: number;
  readonly misses: number;
  readonly failures: Readonly<Record<string, number>>;
  /** The HDR histograms, compressed and base64-encoded (hdr-histogram-js). */
  readonly latency: string;
  readonly service: string;
}

/** Outcomes and latencies of one run; counts only while `measuring` is true. */
export class LoadRecorder {
  /** False during warm-up and drain: replies then are not counted. */
  measuring = false;
  /** Replies received (error replies included). */
  completed = 0;
  /** ERROR / CLIENT_ERROR / SERVER_ERROR replies. */
  errorReplies = 0;
  /** Requests that got no reply: timeouts and closed connections, by client error code. */
  readonly failures = new Map<string, number>();
  /** get replies with and without an item. */
  hits = 0;
  misses = 0;
  private readonly latency = newHistogram();
  private readonly service = newHistogram();

  /** Records one reply. Times are in milliseconds. */
  record(outcome: ReplyOutcome, latencyMs: number, serviceMs: number): void {
    if (!this.measuring) return;
    this.completed++;
    if (outcome === ReplyOutcome.Error) this.errorReplies++;
    else if (outcome === ReplyOutcome.Hit) this.hits++;
    else if (outcome === ReplyOutcome.Miss) this.misses++;
    this.latency.recordValue(toMicros(latencyMs));
    this.service.recordValue(toMicros(serviceMs));
  }

  /** Records a request that will get no reply (counted whether or not measuring: none may be lost). */
  fail(code: string, count = 1): void {
    this.failures.set(code, (this.failures.get(code) ?? 0) + count);
  }

  /** Total requests that got no reply. */
  get failureCount(): number {
    let total = 0;
    for (const count of this.failures.values()) total += count;
    return total;
  }

  /** Forgets everything measured so far (the end of warm-up). */
  reset(): void {
    this.completed = 0;
    this.errorReplies = 0;
    this.hits = 0;
    this.misses = 0;
    this.latency.reset();
    this.service.reset();
  }

  /** Everything measured, in a form that crosses a thread boundary (histograms compressed). */
  exported(): ExportedRecord {
    return {
      completed: this.completed, errorReplies: this.errorReplies, hits: this.hits, misses: this.misses,
      failures: Object.fromEntries(this.failures),
      latency: encodeIntoCompressedBase64(this.latency), service: encodeIntoCompressedBase64(this.service),
    };
  }

  /** Adds another thread's record to this one. */
  absorb(record: ExportedRecord): void {
    this.completed += record.completed;
    this.errorReplies += record.errorReplies;
    this.hits += record.hits;
    this.misses += record.misses;
    for (const [code, count] of Object.entries(record.failures)) this.fail(code, count);
    this.latency.add(decodeFromCompressedBase64(record.latency));
    this.service.add(decodeFromCompressedBase64(record.service));
  }

  /** Percentiles of latency from the intended send time. */
  latencySummary(): LatencySummary {
    return summarise(this.latency);
  }

  /** Percentiles of latency from the actual send time. */
  serviceSummary(): LatencySummary {
    return summarise(this.service);
  }
}
