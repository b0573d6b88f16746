/**
 * The request observer phase 3 hangs on every session: one latency histogram per command family ×
 * protocol, and a count per family × protocol × outcome, all in one SharedArrayBuffer. The main
 * thread creates it; each worker thread attaches to the same buffer, so what `/metrics` reads
 * covers every thread. `observe` costs a map lookup and four Atomics operations, allocates nothing
 * (measured by observe-bench.ts; see docs/phase3-metrics.md).
 *
 * Layout: `[LatencyHistogram × series][FoldingCounters: 3 outcomes × series]`, where series =
 * familyIndex × 2 + protocol (0 text, 1 binary).
 * @module
 */
import {
  COMMAND_FAMILIES, familyIndex, Outcome, Protocol,
  type CommandFamily, type RequestObserver,
} from '../../../shared/protocol/request-observer.ts';
import { FoldingCounters, foldingCountersBytes } from './folding-counters.ts';
import type { HistogramSnapshot } from './histogram-snapshot.ts';
import { LatencyHistogram } from './latency-histogram.ts';

/** Protocols in series order: a series index is `family × 2 + protocol`. */
const PROTOCOLS = [Protocol.Text, Protocol.Binary] as const;
/** Outcomes in counter order. */
const OUTCOMES = [Outcome.Ok, Outcome.Error, Outcome.Fault] as const;
/** Every family in every protocol: 27 × 2 = 54 histograms (about 2.4 MiB in all). */
const SERIES = COMMAND_FAMILIES.length * PROTOCOLS.length;
/** The outcome counters start after the last histogram (LatencyHistogram.BYTES is a multiple of 8). */
const COUNTERS_OFFSET = SERIES * LatencyHistogram.BYTES;

/** One family in one protocol, as read at one moment. */
export interface RequestSeries {
  readonly command: CommandFamily;
  readonly protocol: Protocol;
  /** Requests by how they ended. */
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Execution time, nanoseconds. */
  readonly latency: HistogramSnapshot;
}

/** Request latency and outcome counts for every family and protocol, shared between threads. */
export class RequestMetrics implements RequestObserver {
  /** Bytes of the shared buffer. */
  static readonly BYTES = COUNTERS_OFFSET + foldingCountersBytes(SERIES * OUTCOMES.length);

  readonly buffer: SharedArrayBuffer;
  private readonly histograms: readonly LatencyHistogram[];
  private readonly outcomes: FoldingCounters;

  private constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength < RequestMetrics.BYTES) throw new RangeError(`request metrics need ${RequestMetrics.BYTES} bytes, not ${buffer.byteLength}`);
    this.buffer = buffer;
    this.histograms = Array.from({ length: SERIES }, (_, series) => new LatencyHistogram(buffer, series * LatencyHistogram.BYTES));
    this.outcomes = new FoldingCounters(buffer, COUNTERS_OFFSET, SERIES * OUTCOMES.length);
  }

  /** New, zeroed metrics (in the main thread); hand `buffer` to workers. */
  static create(): RequestMetrics {
    return new RequestMetrics(new SharedArrayBuffer(RequestMetrics.BYTES));
  }

  /** The metrics another thread created over `buffer`. */
  static attach(buffer: SharedArrayBuffer): RequestMetrics {
    return new RequestMetrics(buffer);
  }

  /** Records one executed request (the {@link RequestObserver} hook). */
  observe(family: CommandFamily, protocol: Protocol, outcome: Outcome, nanoseconds: number): void {
    const series = familyIndex(family) * 2 + (protocol === Protocol.Binary ? 1 : 0);
    this.histograms[series]!.record(nanoseconds);
    this.outcomes.add(series * 3 + (outcome === Outcome.Ok ? 0 : outcome === Outcome.Error ? 1 : 2), 1);
  }

  /** The latency histogram of one family in one protocol (live; read it with snapshot()). */
  histogram(family: CommandFamily, protocol: Protocol): LatencyHistogram {
    return this.histograms[familyIndex(family) * 2 + PROTOCOLS.indexOf(protocol)]!;
  }

  /** Every family × protocol that has seen a request, in family order, text before binary. */
  snapshot(): RequestSeries[] {
    const counts = new Float64Array(SERIES * OUTCOMES.length);
    this.outcomes.readAll(counts);
    const series: RequestSeries[] = [];
    for (let s = 0; s < SERIES; s++) {
      const ok = counts[s * 3]!, error = counts[s * 3 + 1]!, fault = counts[s * 3 + 2]!;
      if (ok + error + fault === 0) continue;
      series.push({
        command: COMMAND_FAMILIES[s >> 1]!,
        protocol: PROTOCOLS[s & 1]!,
        outcomes: { [Outcome.Ok]: ok, [Outcome.Error]: error, [Outcome.Fault]: fault },
        latency: this.histograms[s]!.snapshot(),
      });
    }
    return series;
  }

  /** Forgets everything (memcached's `stats reset`). */
  reset(): void {
    for (const histogram of this.histograms) histogram.reset();
    this.outcomes.reset();
  }
}
