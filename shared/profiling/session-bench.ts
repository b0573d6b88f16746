/**
 * `node --import tsx shared/profiling/session-bench.ts [--protocol text|binary]`: the cost of the
 * protocol path alone — parse, execute against the shared store, build and join the replies — in
 * nanoseconds of CPU time per request, with no socket in the way. It replays the bench's mix (90% gets of
 * 100-byte values over 10,000 keys) as one pipelined byte stream through a session, the way an
 * event-loop connection drives one, and prints the median of several rounds.
 *
 * Why it exists: over TCP the system calls dominate and the machine's noise swamps a change of
 * a few hundred nanoseconds; here the same change is measured to within a few percent. The
 * profiling guide (docs/profiling.md) quotes it.
 * @module
 */
import { codecFor } from '../client/codecs.ts';
import { parseCommandLine, type OptionSpecs } from '../runtime/cli.ts';
import { SharedStore } from '../store/shared-store.ts';
import { MEMORY_BYTES, replay, replayWorkload } from './session-replay.ts';

const OPTIONS = {
  protocol: { type: 'string', default: 'text', description: 'text or binary' },
  requests: { type: 'integer', default: 1_000_000, min: 1000, max: 100_000_000, description: 'requests per round' },
  rounds: { type: 'integer', default: 7, min: 1, max: 100, description: 'rounds; the median is reported' },
} as const satisfies OptionSpecs;

const options = parseCommandLine('shared/profiling/session-bench.ts', OPTIONS);
const workload = replayWorkload(codecFor(options.protocol), options.requests);

const results: number[] = [];
for (let round = 0; round < options.rounds; round++) {
  const store = SharedStore.create({ memoryBytes: MEMORY_BYTES });
  replay(store, workload.preload);
  // CPU time, not wall time: on a shared machine other processes stretch the wall clock.
  const started = process.cpuUsage();
  const executed = replay(store, workload.stream);
  const used = process.cpuUsage(started);
  const ns = ((used.user + used.system) * 1000) / executed;
  results.push(ns);
  console.log(`round ${round + 1}: ${executed.toLocaleString('en-US')} requests, ${ns.toFixed(0)} ns/request`);
}
results.sort((a, b) => a - b);
console.log(`median: ${results[results.length >> 1]!.toFixed(0)} ns/request (${options.protocol}, node ${process.version})`);
