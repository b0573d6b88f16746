/**
 * Plays a transcript over a {@link WireConnection}: each step's bytes are cut for the framing and
 * written, then the reply is read against the step's expectation with a deadline. After the last
 * step the connection must still be in step with the server: one more `get` of a missing key must
 * answer exactly `END\r\n`, which catches stray bytes and replies to `noreply` commands.
 * @module
 */
import { escapeBytes, firstDifference } from './escape-bytes.ts';
import { ConformanceFailure, type FailureContext, type PlayedStep } from './failure-report.ts';
import { cutForFraming } from './framing.ts';
import { seededRandom } from './seeded-random.ts';
import { resolveDynamic, toBuffer, type Captures, type Reply, type Step } from './transcript.ts';
import type { WireConnection } from './wire-connection.ts';

/** How long a reply may take before the step fails (generous: 2 cores, a tsx-run server). */
export const REPLY_TIMEOUT_MS = 3000;

/**
 * After a mismatch, how long to keep listening so the report shows the whole reply rather than
 * its first packet. Only failing steps wait this long.
 */
const SETTLE_MS = 150;

/** Everything the player needs besides the connection and the steps. */
export interface PlayContext extends FailureContext {
  /** Seeds the random cuts of this transcript (derived from the run's seed and the case number). */
  readonly cutSeed: number;
  /** A key that is never stored: a closing `get` of it must answer `END\r\n`; null for binary transcripts. */
  readonly sentinelKey: string | null;
}

interface Outcome {
  readonly ok: boolean;
  readonly expected: string;
  readonly expectedBytes?: Buffer;
  readonly received: Buffer;
  readonly captures?: Captures;
}

/** Plays `steps` on `connection` and throws a {@link ConformanceFailure} at the first mismatch. */
export async function playTranscript(connection: WireConnection, steps: readonly Step[], context: PlayContext): Promise<void> {
  const random = seededRandom(context.cutSeed);
  const played: PlayedStep[] = [];
  let captures: Captures = {};
  const sentinel = context.sentinelKey !== null && !endsConnection(steps);
  const all = sentinel ? [...steps, sentinelStep(context.sentinelKey)] : steps;
  for (const [index, step] of all.entries()) {
    const sent = toBuffer(resolveDynamic(step.send, captures));
    await connection.write(cutForFraming(sent, context.framing, random));
    if (step.kind === 'disconnect') {
      await connection.end();
      return;
    }
    const outcome = await readReply(connection, step.reply, captures);
    if (!outcome.ok) {
      await connection.waitUntil(() => false, SETTLE_MS);
      throw new ConformanceFailure(context, {
        step: { sent, expected: outcome.expected },
        stepNumber: index + 1,
        stepCount: all.length,
        received: Buffer.concat([outcome.received, connection.unread]),
        connection: connection.hangUp ?? 'still open',
        expectedBytes: outcome.expectedBytes,
        earlier: played,
      });
    }
    played.push({ sent, expected: outcome.expected });
    captures = { ...captures, ...outcome.captures };
  }
}

function endsConnection(steps: readonly Step[]): boolean {
  const last = steps.at(-1);
  return last !== undefined && (last.kind === 'disconnect' || last.reply.kind === 'hang-up');
}

function sentinelStep(key: string): Step {
  return {
    kind: 'exchange',
    send: `get ${key}\r\n`,
    reply: { kind: 'exact', bytes: 'END\r\n' },
  };
}

function readReply(connection: WireConnection, reply: Reply, captures: Captures): Promise<Outcome> {
  switch (reply.kind) {
    case 'exact':
      return readExact(connection, toBuffer(resolveDynamic(reply.bytes, captures)));
    case 'match':
      return readMatch(connection, reply.pattern, reply.until);
    case 'hang-up':
      return readHangUp(connection, toBuffer(reply.before));
  }
}

async function readExact(connection: WireConnection, expected: Buffer): Promise<Outcome> {
  const described = expected.length > 0 ? escapeBytes(expected) : '(nothing: the reply to the next step comes first)';
  // Stop waiting as soon as the bytes so far already differ: a wrong reply fails fast.
  const decided = () => connection.unread.length >= expected.length || firstDifference(connection.unread, expected) >= 0;
  await connection.waitUntil(decided, REPLY_TIMEOUT_MS);
  const unread = connection.unread;
  if (unread.length >= expected.length && unread.subarray(0, expected.length).equals(expected)) {
    connection.consume(expected.length);
    return { ok: true, expected: described, received: expected };
  }
  return { ok: false, expected: described, expectedBytes: expected, received: connection.consume(unread.length) };
}

async function readMatch(connection: WireConnection, pattern: RegExp, until: string | number): Promise<Outcome> {
  const end = typeof until === 'number' ? `${until} bytes` : escapeBytes(Buffer.from(until, 'latin1'));
  const expected = `a reply matching ${String(pattern)} (read up to ${end})`;
  const length = () => {
    if (typeof until === 'number') return connection.unread.length >= until ? until : -1;
    const at = connection.unread.indexOf(until, 0, 'latin1');
    return at < 0 ? -1 : at + until.length;
  };
  await connection.waitUntil(() => length() >= 0, REPLY_TIMEOUT_MS);
  const complete = length();
  if (complete < 0) return { ok: false, expected, received: connection.consume(connection.unread.length) };
  const received = connection.consume(complete);
  const match = pattern.exec(received.toString('latin1'));
  return match ? { ok: true, expected, received, captures: { ...match.groups } } : { ok: false, expected, received };
}

async function readHangUp(connection: WireConnection, before: Buffer): Promise<Outcome> {
  const expected = `${before.length > 0 ? escapeBytes(before) : 'nothing'}, then the server closes the connection`;
  const overran = () => connection.unread.length > before.length || firstDifference(connection.unread, before) >= 0;
  await connection.waitUntil(() => connection.hangUp !== null || overran(), REPLY_TIMEOUT_MS);
  const received = connection.consume(connection.unread.length);
  const ok = connection.hangUp !== null && received.equals(before);
  return { ok, expected, expectedBytes: before, received };
}
