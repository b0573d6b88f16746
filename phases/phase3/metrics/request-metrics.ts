/**
 * The request observer phase 3 hangs on every session: one latency histogram per command family ×
 * protocol, and a count per family × protocol × outcome, all in one SharedArrayBuffer. The main
 * thread creates it with a *shard* per thread that executes requests (the loop, or each ring
 * worker); each thread attaches to its own shard and is its only writer, so recording takes plain
 * adds and no cache line moves between cores. What `/metrics` reads sums the shards, so it covers
 * every thread. `observe` costs a map lookup and a few plain adds, and allocates nothing
 * (measured by observe-bench.ts; see docs/phase3-metrics.md).
 *
 * Layout: one shard per thread, each `[LatencyHistogram × series][FoldingCounters: 3 outcomes ×
 * series]`, where series = familyIndex × 2 + protocol (0 text, 1 binary).
 * @module
 */
import {
  COMMAND_FAMILIES, familyIndex, Outcome, Protocol,
  type CommandFamily, type RequestObserver,
} from '../../../shared/protocol/request-observer.ts';
import { FoldingCounters, foldingCountersBytes } from './folding-counters.ts';
import { HistogramSnapshot } from './histogram-snapshot.ts';
import { LatencyHistogram } from './latency-histogram.ts';

/** Protocols in series order: a series index is `family × 2 + protocol`. */
const PROTOCOLS = [Protocol.Text, Protocol.Binary] as const;
/** Outcomes in counter order. */
const OUTCOMES = [Outcome.Ok, Outcome.Error, Outcome.Fault] as const;
/** Every family in every protocol: 27 × 2 = 54 histograms (about 2.4 MiB a shard). */
const SERIES = COMMAND_FAMILIES.length * PROTOCOLS.length;
/** The outcome counters start after the last histogram (LatencyHistogram.BYTES is a multiple of 8). */
const COUNTERS_OFFSET = SERIES * LatencyHistogram.BYTES;
/** Bytes of one thread's shard (a multiple of 8, so every shard starts aligned). */
const SHARD_BYTES = Math.ceil((COUNTERS_OFFSET + foldingCountersBytes(SERIES * OUTCOMES.length)) / 8) * 8;

/** One family in one protocol, as read at one moment. */
export interface RequestSeries {
  readonly command: CommandFamily;
  readonly protocol: Protocol;
  /** Requests by how they ended. */
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Execution time, nanoseconds. */
  readonly latency: HistogramSnapshot;
}

/** One thread's histograms and outcome counts. */
interface Shard {
  readonly histograms: readonly LatencyHistogram[];
  readonly outcomes: FoldingCounters;
}

/** Request latency and outcome counts for every family and protocol, shared between threads. */
export class RequestMetrics implements RequestObserver {
  /** Bytes of one thread's shard; a buffer holds one per thread. */
  static readonly SHARD_BYTES = SHARD_BYTES;

  readonly buffer: SharedArrayBuffer;
  /** Every thread's shard, for reading. */
  private readonly shards: readonly Shard[];
  /** This thread's shard, the only one it writes. */
  private readonly mine: Shard;

  private constructor(buffer: SharedArrayBuffer, thread: number) {
    const threads = Math.floor(buffer.byteLength / SHARD_BYTES);
    if (!Number.isInteger(thread) || thread < 0 || thread >= threads) {
      throw new RangeError(`thread ${thread} has no shard: the buffer holds ${threads}`);
    }
    this.buffer = buffer;
    this.shards = Array.from({ length: threads }, (_, index) => {
      // Only this thread's shard is written here; the others are read, so their mode is moot.
      const options = { singleWriter: index === thread };
      const base = index * SHARD_BYTES;
      return {
        histograms: Array.from({ length: SERIES }, (_, series) => new LatencyHistogram(buffer, base + series * LatencyHistogram.BYTES, options)),
        outcomes: new FoldingCounters(buffer, base + COUNTERS_OFFSET, SERIES * OUTCOMES.length, options),
      };
    });
    this.mine = this.shards[thread]!;
  }

  /**
   * New, zeroed metrics with a shard for each of `threads` recording threads; this thread records
   * into shard 0. Hand `buffer` to the others with their own shard number.
   */
  static create(threads = 1): RequestMetrics {
    return new RequestMetrics(new SharedArrayBuffer(threads * SHARD_BYTES), 0);
  }

  /** The metrics another thread created over `buffer`; this thread records into shard `thread` and must be its only writer. */
  static attach(buffer: SharedArrayBuffer, thread: number): RequestMetrics {
    return new RequestMetrics(buffer, thread);
  }

  /** Records one executed request (the {@link RequestObserver} hook). */
  observe(family: CommandFamily, protocol: Protocol, outcome: Outcome, nanoseconds: number): void {
    const series = familyIndex(family) * 2 + (protocol === Protocol.Binary ? 1 : 0);
    this.mine.histograms[series]!.record(nanoseconds);
    this.mine.outcomes.add(series * 3 + (outcome === Outcome.Ok ? 0 : outcome === Outcome.Error ? 1 : 2), 1);
  }

  /** The latency of one family in one protocol, every thread's shard summed. */
  latency(family: CommandFamily, protocol: Protocol): HistogramSnapshot {
    const series = familyIndex(family) * 2 + PROTOCOLS.indexOf(protocol);
    return this.shards.reduce((sum, shard) => sum.merge(shard.histograms[series]!.snapshot()), new HistogramSnapshot());
  }

  /** Every family × protocol that has seen a request, in family order, text before binary. */
  snapshot(): RequestSeries[] {
    const counts = new Float64Array(SERIES * OUTCOMES.length);
    const shardCounts = new Float64Array(SERIES * OUTCOMES.length);
    for (const shard of this.shards) {
      shard.outcomes.readAll(shardCounts);
      for (let i = 0; i < counts.length; i++) counts[i]! += shardCounts[i]!;
    }
    const series: RequestSeries[] = [];
    for (let s = 0; s < SERIES; s++) {
      const ok = counts[s * 3]!, error = counts[s * 3 + 1]!, fault = counts[s * 3 + 2]!;
      if (ok + error + fault === 0) continue;
      series.push({
        command: COMMAND_FAMILIES[s >> 1]!,
        protocol: PROTOCOLS[s & 1]!,
        outcomes: { [Outcome.Ok]: ok, [Outcome.Error]: error, [Outcome.Fault]: fault },
        latency: this.latency(COMMAND_FAMILIES[s >> 1]!, PROTOCOLS[s & 1]!),
      });
    }
    return series;
  }
}
