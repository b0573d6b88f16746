/**
 * What phase 3's observers cost a request, in CPU time, with no socket in the way: the bench's
 * mix replayed through a session (shared/profiling/session-replay.ts) with no observer, with the
 * latency histograms only, and with all three of phase 3's observers (histograms, slow-request
 * log, protocol-error log), in alternating rounds of one run; the fastest round and the median
 * of each, and their differences, are printed. Pipelined replay is the worst case — the request itself is cheapest there — so
 * the difference is then set against what a request costs the server over TCP at depth 1
 * (`instrumentation-cost.ts` measures that with memcaslap). Asserts nothing.
 *
 * Usage: `node --import tsx phases/phase3/metrics/observer-cost.ts [rounds=7] [requests=500000] [text|binary]`
 * @module
 */
import { availableParallelism } from 'node:os';
import { pino } from 'pino';
import { median } from '../../../shared/bench/rounds.ts';
import { codecFor } from '../../../shared/client/codecs.ts';
import type { RequestObserver } from '../../../shared/protocol/request-observer.ts';
import { MEMORY_BYTES, replay, replayWorkload } from '../../../shared/profiling/session-replay.ts';
import { SharedStore } from '../../../shared/store/shared-store.ts';
import { ObserverList } from '../observers.ts';
import { ProtocolErrors } from '../protocol-errors.ts';
import { SlowRequests } from '../slow-requests.ts';
import { RequestMetrics } from './request-metrics.ts';

const [rounds = 7, requests = 500_000] = process.argv.slice(2, 4).map(Number);
const protocol = process.argv[4] ?? 'text';

const log = pino({ level: 'silent' });
const observers: Readonly<Record<string, () => RequestObserver | undefined>> = {
  none: () => undefined,
  histograms: () => RequestMetrics.create(),
  'phase 3': () => new ObserverList([RequestMetrics.create(), SlowRequests.create(10, log), new ProtocolErrors(log)]),
};

console.log(`# observer cost: ${rounds} rounds × ${requests} pipelined requests (${protocol}), node ${process.version}, ${availableParallelism()} CPUs`);
console.log(`# command: node --import tsx phases/phase3/metrics/observer-cost.ts ${rounds} ${requests} ${protocol}`);
const workload = replayWorkload(codecFor(protocol), requests);
const results = new Map<string, number[]>(Object.keys(observers).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  // Alternate the order, so a drift of the machine's speed falls on every variant alike.
  const names = Object.keys(observers);
  for (const name of round % 2 === 0 ? names : names.reverse()) {
    const store = SharedStore.create({ memoryBytes: MEMORY_BYTES });
    const observer = observers[name]!();
    replay(store, workload.preload, observer);
    // CPU time, not wall time: on a shared machine other processes stretch the wall clock.
    const started = process.cpuUsage();
    const executed = replay(store, workload.stream, observer);
    const used = process.cpuUsage(started);
    results.get(name)!.push(((used.user + used.system) * 1000) / executed);
  }
}
// The fastest round is the best estimate of what the code itself costs: other processes and the
// machine's own noise only ever add time. The median is printed beside it.
const fastest = (values: number[]) => Math.min(...values);
const none = results.get('none')!;
for (const [name, values] of results) {
  const extra = name === 'none' ? '' : `   +${(fastest(values) - fastest(none)).toFixed(0)} ns a request (fastest), +${(median(values)! - median(none)!).toFixed(0)} (median)`;
  console.log(`${name.padEnd(10)} fastest ${fastest(values).toFixed(0).padStart(5)} ns/request, median ${median(values)!.toFixed(0).padStart(5)}${extra}`);
}
