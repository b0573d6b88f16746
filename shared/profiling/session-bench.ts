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
import { RequestTable, Xorshift32 } from '../bench/workload.ts';
import { codecFor } from '../client/codecs.ts';
import { createSession, Step } from '../protocol/session.ts';
import { basicServerInfo } from '../runtime/basic-server-info.ts';
import { parseCommandLine, type OptionSpecs } from '../runtime/cli.ts';
import { ServerCounters } from '../runtime/server-counters.ts';
import { SharedStore } from '../store/shared-store.ts';

const OPTIONS = {
  protocol: { type: 'string', default: 'text', description: 'text or binary' },
  requests: { type: 'integer', default: 1_000_000, min: 1000, max: 100_000_000, description: 'requests per round' },
  rounds: { type: 'integer', default: 7, min: 1, max: 100, description: 'rounds; the median is reported' },
} as const satisfies OptionSpecs;

// The bench's reference mix (shared/bench/options.ts defaults).
const KEYS = 10_000;
const VALUE_SIZE = 100;
const GET_RATIO = 0.9;
/** Requests served per turn before the replies are joined, as phase 2's `--requests-per-turn`. */
const REQUESTS_PER_TURN = 64;
/** Bytes handed to the session per feed: about what one socket read delivers under pipelining. */
const FEED_BYTES = 64 * 1024;
/** Store memory: the phases' default. */
const MEMORY_BYTES = 64 * 1024 * 1024;

const options = parseCommandLine('shared/profiling/session-bench.ts', OPTIONS);
const codec = codecFor(options.protocol);
const table = new RequestTable({ keys: KEYS, valueSize: VALUE_SIZE, getRatio: GET_RATIO }, codec);

// The request stream: every key stored once, then the measured mix.
const random = new Xorshift32(1);
const mix: Buffer[] = [];
for (let i = 0; i < options.requests; i++) {
  const key = random.below(KEYS);
  mix.push(random.next() < GET_RATIO ? table.gets[key]! : table.sets[key]!);
}
const preload = Buffer.concat([...table.sets]);
const stream = Buffer.concat(mix);

const counters = new ServerCounters();
const server = basicServerInfo({ version: 'session-bench', startedAtMs: Date.now(), maxConnections: 1, threads: 1, settings: [] }, counters);

/** Feeds `bytes` through a fresh session on `store`; returns the requests executed. */
function replay(store: SharedStore, bytes: Buffer): number {
  const session = createSession(bytes[0]!, { store, server, maxItemSize: store.maxItemSize });
  let executed = 0;
  let written = 0;
  for (let at = 0; at < bytes.length; at += FEED_BYTES) {
    session.feed(bytes.subarray(at, at + FEED_BYTES));
    for (;;) {
      let step: Step = Step.NeedMore;
      let served = 0;
      while (served < REQUESTS_PER_TURN && (step = session.step()) === Step.Continue) served++;
      executed += served;
      // What a connection's flush does with a turn's replies: one joined buffer.
      const bytes = session.out.bytes;
      if (bytes > 0) written += Buffer.concat(session.out.take(), bytes).length;
      if (step !== Step.Continue) break;
    }
  }
  if (written === 0) throw new Error('no reply was produced');
  return executed;
}

const results: number[] = [];
for (let round = 0; round < options.rounds; round++) {
  const store = SharedStore.create({ memoryBytes: MEMORY_BYTES });
  replay(store, preload);
  // CPU time, not wall time: on a shared machine other processes stretch the wall clock.
  const started = process.cpuUsage();
  const executed = replay(store, stream);
  const used = process.cpuUsage(started);
  const ns = ((used.user + used.system) * 1000) / executed;
  results.push(ns);
  console.log(`round ${round + 1}: ${executed.toLocaleString('en-US')} requests, ${ns.toFixed(0)} ns/request`);
}
results.sort((a, b) => a - b);
console.log(`median: ${results[results.length >> 1]!.toFixed(0)} ns/request (${options.protocol}, node ${process.version})`);
