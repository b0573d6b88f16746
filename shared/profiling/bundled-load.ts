/**
 * The load every profile runs: the bench's own load driver with the course's reference mix (90%
 * gets, 100-byte values, 10,000 keys; one request in flight per connection unless asked for a
 * pipeline), over the text or the binary protocol. It runs in its own process so it never shows up in the server's profile.
 * @module
 */
import { codecFor } from '../client/codecs.ts';
import { runLoad } from '../bench/load-run.ts';
import type { Protocol } from './profile-options.ts';

/** The line the load prints when it is done; the profiler waits for it where a tool needs a nudge. */
export const LOAD_DONE = 'kvlab profile load finished';

// The course's reference load (memcaslap -X 100, 90/10, as the guides quote it).
const VALUE_SIZE = 100;
const KEYS = 10_000;
const GET_RATIO = 0.9;
/** Any fixed seed: every profile of every phase sees the same request sequence. */
const SEED = 1;
/** Generous for loopback; a request this late means the server is stuck, and the run says so. */
const TIMEOUT_MS = 5000;

/** Where and how long to push. */
export interface BundledLoadSettings {
  readonly host: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly connections: number;
  /** Requests in flight per connection. */
  readonly pipeline: number;
  readonly durationS: number;
}

/** What the load achieved, for the one summary line it prints. */
export interface BundledLoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly errors: number;
}

/** Runs the load to completion. */
export async function runBundledLoad(settings: BundledLoadSettings): Promise<BundledLoadResult> {
  const result = await runLoad(
    { host: settings.host, port: settings.port, pid: undefined },
    {
      connections: settings.connections, durationS: settings.durationS, pipeline: settings.pipeline, getRatio: GET_RATIO,
      valueSize: VALUE_SIZE, keys: KEYS, warmupS: 0, rate: 0, timeoutMs: TIMEOUT_MS, seed: SEED,
      codec: codecFor(settings.protocol),
    },
    () => {},
  );
  const failures = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
  return { requests: result.requests, seconds: result.seconds, errors: result.errorReplies + failures };
}
