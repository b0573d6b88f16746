/**
 * A session driven without a socket: the bench's mix (90 % gets of 100-byte values over 10,000
 * keys) as one pipelined byte stream, fed to a protocol session the way an event-loop connection
 * feeds one — 64 KiB reads, up to 64 requests a turn, each turn's replies joined into one buffer.
 * session-bench.ts times it; phase 3's observer-cost.ts times it with and without observers.
 * @module
 */
import { RequestTable, Xorshift32 } from '../bench/workload.ts';
import type { Codec } from '../client/codec.ts';
import type { RequestObserver } from '../protocol/request-observer.ts';
import { createSession, Step } from '../protocol/session.ts';
import { basicServerInfo } from '../runtime/basic-server-info.ts';
import { ServerCounters } from '../runtime/server-counters.ts';
import type { SharedStore } from '../store/shared-store.ts';

// The bench's reference mix (shared/bench/options.ts defaults).
const KEYS = 10_000;
const VALUE_SIZE = 100;
const GET_RATIO = 0.9;
/** Requests served per turn before the replies are joined, as phase 2's `--requests-per-turn`. */
const REQUESTS_PER_TURN = 64;
/** Bytes handed to the session per feed: about what one socket read delivers under pipelining. */
const FEED_BYTES = 64 * 1024;
/** Store memory for a replay: the phases' default. */
export const MEMORY_BYTES = 64 * 1024 * 1024;

/** The bytes of a replay: every key stored once, then the measured mix. */
export interface ReplayWorkload {
  readonly preload: Buffer;
  readonly stream: Buffer;
}

/** `requests` requests of the mix in `codec`'s protocol, the same for the same arguments (seeded). */
export function replayWorkload(codec: Codec, requests: number): ReplayWorkload {
  const table = new RequestTable({ keys: KEYS, valueSize: VALUE_SIZE, getRatio: GET_RATIO }, codec);
  const random = new Xorshift32(1);
  const mix: Buffer[] = [];
  for (let i = 0; i < requests; i++) {
    const key = random.below(KEYS);
    mix.push(random.next() < GET_RATIO ? table.gets[key]! : table.sets[key]!);
  }
  return { preload: Buffer.concat([...table.sets]), stream: Buffer.concat(mix) };
}

const server = basicServerInfo({ version: 'session-replay', startedAtMs: Date.now(), maxConnections: 1, threads: 1, settings: [] }, new ServerCounters());

/** Feeds `bytes` through a fresh session on `store` (told to `observer`, if any); returns the requests executed. */
export function replay(store: SharedStore, bytes: Buffer, observer?: RequestObserver): number {
  const session = createSession(bytes[0]!, { store, server, maxItemSize: store.maxItemSize, observer });
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
      const replyBytes = session.out.bytes;
      if (replyBytes > 0) written += Buffer.concat(session.out.take(), replyBytes).length;
      if (step !== Step.Continue) break;
    }
  }
  if (written === 0) throw new Error('no reply was produced');
  return executed;
}
