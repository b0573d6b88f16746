/**
 * The capstone's check of phase 4's rate limit, after the suite: one client sends far more than
 * its bucket holds, pipelined, and must be held to the rate — not faster (a bucket that never runs
 * short), not far slower (one that never refills: the edge still lets one request a turn through
 * after each wait, so the suite alone cannot tell). Its bucket is full by then: the suite's connections, from
 * the same address, have closed, and a bucket refills to its burst in burst/rate seconds.
 * @module
 */
import { WireConnection } from '../../conformance/wire-connection.ts';
import type { RunningServer } from '../../testing/server-process.ts';
import { Mark } from '../cli/paint.ts';
import type { OperationsOutcome } from './operations.ts';
import { readStats } from '../../conformance/checks/ask.ts';

/** The limit the server was started with (`--rate-limit`, `--rate-burst`). */
export interface RateLimit {
  readonly rate: number;
  readonly burst: number;
}

/** The requests sent: the burst, then four times as many, so the rate holds for a measurable while. */
const BURSTS = 5;
/** The rate allows no less; 10 % is left for the clocks of two processes. */
const EARLIEST = 0.9;
/**
 * Slower than this is not the rate: 4 × the fastest plus 2 s leaves room for a loaded machine (the
 * reference takes 216–241 ms of its 200 with two cores busy), while a bucket that never refills,
 * serving one request a turn behind ever longer waits, took 7 s here.
 */
function latestMs(fastestMs: number): number {
  return 4 * fastestMs + 2000;
}
/** How long to wait for the replies at all. */
const DEADLINE_MS = 15_000;

/** The server's arguments for `limit`. */
export function rateLimitArgs(limit: RateLimit): string[] {
  return ['--rate-limit', String(limit.rate), '--rate-burst', String(limit.burst)];
}

/** Sends BURSTS × burst `version` requests in one write and times the replies against the limit. */
export async function checkRateLimit(server: RunningServer, limit: RateLimit): Promise<OperationsOutcome> {
  const count = BURSTS * limit.burst;
  const fastestMs = ((count - limit.burst) / limit.rate) * 1000;
  let connection: WireConnection;
  try {
    connection = await WireConnection.open(server.host, server.port);
  } catch (error) {
    return { ok: false, lines: [`    ${Mark.fail()} rate limit: could not connect: ${(error as Error).message}`] };
  }
  try {
    const replies = () => connection.unread.toString('latin1').split('\n').length - 1;
    const started = performance.now();
    await connection.write([Buffer.from('version\r\n'.repeat(count), 'latin1')]);
    await connection.waitUntil(() => replies() >= count, DEADLINE_MS);
    const elapsedMs = performance.now() - started;
    const got = replies();
    connection.consume(connection.unread.length);
    const delays = (await readStats(connection)).get('rate_limit_delays');
    const at = `${count} requests at once, --rate-limit ${limit.rate} with a burst of ${limit.burst}`;
    if (got < count) {
      return { ok: false, lines: [`    ${Mark.fail()} rate limit: ${at}: ${got} answered within ${DEADLINE_MS / 1000} s, expected all of them after about ${Math.round(fastestMs)} ms (does the bucket refill?)`] };
    }
    if (elapsedMs > latestMs(fastestMs)) {
      return { ok: false, lines: [`    ${Mark.fail()} rate limit: ${at}: all answered, but in ${Math.round(elapsedMs)} ms — the rate allows them in ${Math.round(fastestMs)} (does the bucket refill as time passes?)`] };
    }
    if (elapsedMs < EARLIEST * fastestMs) {
      return { ok: false, lines: [`    ${Mark.fail()} rate limit: ${at}: all answered in ${Math.round(elapsedMs)} ms, but the rate allows no less than ${Math.round(fastestMs)} ms (does the bucket run short?)`] };
    }
    return { ok: true, lines: [`    ${Mark.pass()} rate limit: ${at}: held to the rate, ${Math.round(elapsedMs)} ms for at least ${Math.round(fastestMs)} (rate_limit_delays ${delays})`] };
  } catch (error) {
    return { ok: false, lines: [`    ${Mark.fail()} rate limit: ${(error as Error).message}`] };
  } finally {
    connection.destroy();
  }
}
