/**
 * The capstone's first look at a learner's server: three commands, a few seconds. A server that
 * cannot answer `version` or store and read back one value would fail every one of the suite's
 * ~500 tests by timing out, minutes of waiting to learn one thing; this says it at once.
 * @module
 */
import { WireConnection } from '../../conformance/wire-connection.ts';
import { escapeBytes } from '../../conformance/escape-bytes.ts';

/** The first answer of a server whose worker threads are still loading can take a few seconds. */
const FIRST_REPLY_MS = 10_000;
const REPLY_MS = 3000;
/** How often a wait looks whether the server has already given up (logged an error, exited). */
const GIVE_UP_CHECK_MS = 100;

/** One exchange that went wrong, in the suite's words. */
export interface SmokeFailure {
  readonly sent: string;
  readonly expected: string;
  readonly received: string;
}

async function exchange(
  connection: WireConnection, sent: string, expected: RegExp, described: string, timeoutMs: number, giveUp: () => boolean,
): Promise<SmokeFailure | null> {
  await connection.write([Buffer.from(sent, 'latin1')]);
  const matches = () => expected.test(connection.unread.toString('latin1'));
  const deadline = Date.now() + timeoutMs;
  while (!matches() && connection.hangUp === null && !giveUp() && Date.now() < deadline) {
    await connection.waitUntil(matches, Math.min(GIVE_UP_CHECK_MS, deadline - Date.now()));
  }
  if (matches()) {
    connection.consume(connection.unread.length);
    return null;
  }
  const received = connection.unread.length > 0 ? escapeBytes(connection.unread) : giveUp() ? 'nothing (the server reported an error)' : `nothing within ${timeoutMs / 1000} s`;
  return { sent: escapeBytes(Buffer.from(sent, 'latin1')), expected: described, received: connection.hangUp ? `${received} (${connection.hangUp})` : received };
}

/**
 * Null when the server answers the basics, else what went wrong first. `giveUp` is asked while
 * waiting: true (the server logged an error, or exited) ends the wait at once.
 */
export async function smokeCheck(host: string, port: number, giveUp: () => boolean = () => false): Promise<SmokeFailure | null> {
  let connection: WireConnection;
  try {
    connection = await WireConnection.open(host, port);
  } catch (error) {
    return { sent: '(a connection)', expected: 'the server to accept it', received: (error as Error).message };
  }
  try {
    return (
      (await exchange(connection, 'version\r\n', /^VERSION \S+\r\n$/, 'VERSION <version>\\r\\n', FIRST_REPLY_MS, giveUp)) ??
      (await exchange(connection, 'set kvlab-smoke 0 0 2\r\nok\r\n', /^STORED\r\n$/, 'STORED\\r\\n', REPLY_MS, giveUp)) ??
      (await exchange(connection, 'get kvlab-smoke\r\n', /^VALUE kvlab-smoke 0 2\r\nok\r\nEND\r\n$/, 'VALUE kvlab-smoke 0 2\\r\\nok\\r\\nEND\\r\\n', REPLY_MS, giveUp))
    );
  } finally {
    connection.destroy();
  }
}
