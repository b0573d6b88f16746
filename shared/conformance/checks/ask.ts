/**
 * Plain request/reply over a {@link WireConnection} for the checks that are not transcripts
 * (stats, expiry over time, many connections): send one command, read up to a terminator, and on
 * a timeout fail with the escaped bytes sent and received.
 * @module
 */
import { escapeBytes } from '../escape-bytes.ts';
import { REPLY_TIMEOUT_MS } from '../transcript-player.ts';
import type { WireConnection } from '../wire-connection.ts';

/** Sends `command` in one write and returns the reply up to and including the first `until`, as latin1. */
export async function ask(connection: WireConnection, command: string, until: string): Promise<string> {
  await connection.write([Buffer.from(command, 'latin1')]);
  const end = () => connection.unread.indexOf(until, 0, 'latin1');
  await connection.waitUntil(() => end() >= 0, REPLY_TIMEOUT_MS);
  const at = end();
  if (at < 0) {
    throw new Error(
      `no complete reply within ${REPLY_TIMEOUT_MS} ms\n  sent:       ${escapeBytes(Buffer.from(command, 'latin1'))}\n` +
        `  expected:   a reply ending with ${escapeBytes(Buffer.from(until, 'latin1'))}\n` +
        `  received:   ${escapeBytes(connection.unread)}\n  connection: ${connection.hangUp ?? 'still open'}`,
    );
  }
  return connection.consume(at + until.length).toString('latin1');
}

/** Sends `stats` and parses the `STAT name value` lines into a map. */
export async function readStats(connection: WireConnection): Promise<Map<string, string>> {
  const reply = await ask(connection, 'stats\r\n', 'END\r\n');
  const stats = new Map<string, string>();
  for (const line of reply.split('\r\n')) {
    const match = /^STAT (\S+) (.*)$/.exec(line);
    if (match) stats.set(match[1]!, match[2]!);
  }
  return stats;
}
