/**
 * `npm run bench:request-cost [-- --requests N --rounds R]`: what one request costs phase 4's
 * protocol path — parse, execute against the slab store, build and join the replies — in
 * nanoseconds of CPU and bytes allocated, per request kind, in both protocols, with no socket: the
 * server's own work and nothing else. Kinds: a get hit and a get miss (100-byte values), a set of
 * 100 bytes, and a batch of 16 pipelined gets fed as one read and served in one turn.
 *
 * How a request is driven: as phase 2's event connection drives one (event-connection.ts) — feed
 * the request's pre-encoded bytes, step the session until it needs more, with the store lending
 * values as a turn does, then hand the turn's replies to write-replies.ts, whose socket here is
 * one that drops them. So the read's Buffer (made by Node's socket) and the system calls are
 * not counted; everything the server's own code does between them is.
 *
 * How it measures:
 * - CPU: `process.cpuUsage()` (user + system) around a round of N requests, divided by N;
 *   CPU time rather than wall time, so other processes on the machine do not stretch it.
 * - Bytes allocated on the JS heap: V8 counts no allocations, but its heap only grows between
 *   collections. So a round's allocation is the growth of `used_heap_size` over the round plus
 *   what every collection during it freed (its heap before minus after, from `v8.GCProfiler`).
 *   Objects that outlive the round count too (there are none in steady state). A Buffer counts
 *   as its object on the heap (about 100 bytes, whatever its length); its bytes lie outside the
 *   heap — for a small Buffer, in a slice of Node's shared 8 KiB pool — and are not counted.
 * Each figure is the median of the rounds; a warm-up round first lets V8 optimise the path.
 * It prints measurements; it asserts nothing. The figures it gave are in docs/phase4-memory.md.
 * @module
 */
import v8 from 'node:v8';
import type { Socket } from 'node:net';
import os from 'node:os';
import { codecFor } from '../client/codecs.ts';
import type { Codec } from '../client/codec.ts';
import { createSession, Step, type Session } from '../protocol/session.ts';
import { basicServerInfo } from '../runtime/basic-server-info.ts';
import { parseCommandLine, type OptionSpecs } from '../runtime/cli.ts';
import { ServerCounters } from '../runtime/server-counters.ts';
import { GATHER_FROM_BYTES, writeReplies } from '../runtime/write-replies.ts';
import type { Store } from '../store/store.ts';
import { SlabStore } from '../../phases/phase4/slab/slab-store.ts';
import { keyName } from './workload.ts';

const OPTIONS = {
  requests: { type: 'integer', default: 200_000, min: 1000, max: 100_000_000, description: 'requests per round and kind' },
  rounds: { type: 'integer', default: 5, min: 1, max: 100, description: 'rounds per kind; the median is reported' },
} as const satisfies OptionSpecs;

/** The bench's reference value size. */
const VALUE_SIZE = 100;
/** Keys stored before the gets: enough that they do not all sit in one cache line of the table. */
const KEYS = 1000;
/** Requests in the pipelined batch. */
const DEPTH = 16;
/** phase 4's default memory (-m 64). */
const MEMORY_BYTES = 64 * 1024 * 1024;

const server = basicServerInfo({ version: 'request-cost', startedAtMs: Date.now(), maxConnections: 1, threads: 1, settings: [] }, new ServerCounters());

/** One kind of request: the reads it arrives as, cycled through. */
interface Kind {
  readonly name: string;
  /** Each read a client sends; a read holds one request, or DEPTH of them for the batch. */
  readonly reads: readonly Buffer[];
  /** Requests per read. */
  readonly perRead: number;
}

function kinds(codec: Codec): Kind[] {
  const value = Buffer.alloc(VALUE_SIZE, 'v');
  const hits: Buffer[] = [];
  const misses: Buffer[] = [];
  const sets: Buffer[] = [];
  const batches: Buffer[] = [];
  for (let i = 0; i < KEYS; i++) {
    hits.push(codec.encode({ op: 'get', keys: [keyName(i)] }));
    misses.push(codec.encode({ op: 'get', keys: [keyName(KEYS + i)] }));
    sets.push(codec.encode({ op: 'set', key: keyName(i), value }));
  }
  for (let i = 0; i < KEYS; i += DEPTH) batches.push(Buffer.concat(hits.slice(i, i + DEPTH)));
  return [
    { name: 'get hit', reads: hits, perRead: 1 },
    { name: 'get miss', reads: misses, perRead: 1 },
    { name: 'set', reads: sets, perRead: 1 },
    { name: `get hit ×${DEPTH} pipelined`, reads: batches.filter((batch) => batch.length === batches[0]!.length), perRead: DEPTH },
  ];
}

/**
 * A socket that takes what writeReplies gives it and drops it: the turn's replies go through the
 * connection's own code (write-replies.ts), up to the system call. It counts what it was given,
 * and says each write is done at once, which is when a connection gives back lent values.
 */
class NullSocket {
  written = 0;
  write(chunk: Buffer, done?: () => void): boolean {
    this.written += chunk.length;
    done?.();
    return true;
  }
  cork(): void {}
  uncork(): void {}
}

const socket = new NullSocket();
const counters = new ServerCounters();

/** Serves one read as a connection's turn does (event-connection.ts: lend, step, write). */
function serveRead(session: Session, store: Store, read: Buffer): void {
  session.feed(read);
  const pins = store.valuePins;
  pins?.begin(GATHER_FROM_BYTES);
  let step: Step;
  do step = session.step(); while (step === Step.Continue);
  const lent = pins?.take() ?? null;
  writeReplies(socket as unknown as Socket, session.out, counters, lent === null ? undefined : () => pins!.release(lent));
}

/** Sums what every collection freed: the heap before it minus the heap after. */
function freedBy(statistics: readonly v8.GCProfilerResult['statistics'][number][]): number {
  let freed = 0;
  for (const gc of statistics) freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  return freed;
}

interface Round {
  readonly ns: number;
  readonly heapBytes: number;
}

function round(session: Session, store: Store, kind: Kind, requests: number): Round {
  const reads = Math.ceil(requests / kind.perRead);
  const writtenBefore = socket.written;
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics();
  const cpu = process.cpuUsage();
  for (let i = 0; i < reads; i++) serveRead(session, store, kind.reads[i % kind.reads.length]!);
  const used = process.cpuUsage(cpu);
  const after = v8.getHeapStatistics();
  const freed = freedBy(profiler.stop().statistics);
  if (socket.written === writtenBefore) throw new Error('no reply was produced');
  const served = reads * kind.perRead;
  return {
    ns: ((used.user + used.system) * 1000) / served,
    heapBytes: (after.used_heap_size - before.used_heap_size + freed) / served,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

const options = parseCommandLine('shared/bench/request-cost.ts', OPTIONS);
console.log(`# request-cost: node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`# ${options.requests.toLocaleString('en-US')} requests per round, median of ${options.rounds} rounds, ${VALUE_SIZE}-byte values, phase 4's slab store`);
console.log('protocol  kind                      ns/request  heap B/request');
for (const protocol of ['binary', 'text'] as const) {
  const codec = codecFor(protocol);
  const store = SlabStore.create({ memoryBytes: MEMORY_BYTES });
  const list = kinds(codec);
  const session = createSession(list[0]!.reads[0]![0]!, { store, server, maxItemSize: store.maxItemSize });
  // Every key the hits ask for is stored first (the set kind then overwrites them).
  for (const read of list[2]!.reads) serveRead(session, store, read);
  for (const kind of list) {
    round(session, store, kind, options.requests);
    const rounds: Round[] = [];
    for (let r = 0; r < options.rounds; r++) rounds.push(round(session, store, kind, options.requests));
    const ns = median(rounds.map((r) => r.ns));
    const heap = median(rounds.map((r) => r.heapBytes));
    console.log(`${protocol.padEnd(10)}${kind.name.padEnd(26)}${ns.toFixed(0).padStart(10)}${heap.toFixed(0).padStart(16)}`);
  }
}
