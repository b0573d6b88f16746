/**
 * Connections the server closes are released. A client sends a burst of commands, then one that
 * makes the server hang up (quit, a line far over the limit, an HTTP request, binary Quit), then
 * keeps sending — and never reads and never closes. A server that stops reading a socket (after a
 * turn of requests, or while a command runs) and then only half-closes it never sees that client
 * go, so its slot and descriptor stay taken for good. memcached closes every one of them.
 * @module
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Opcode } from '../../protocol/binary/constants.ts';
import { encodeRequest } from '../../protocol/binary/request-encoder.ts';
import type { Target } from '../target.ts';
import { WireConnection } from '../wire-connection.ts';
import { readStats } from './ask.ts';

/** One way to make the server close: what to send before the junk that follows it. */
export interface CloseTrigger {
  readonly name: string;
  /** Needs the binary protocol (the first byte picks it). */
  readonly binary: boolean;
  readonly bytes: Buffer;
}

/** More requests than one turn of phase 2's loop (64), so the server has paused the socket when it decides to close. */
const BURST = 65;

/**
 * Input still unread when the server decides to close: well past the 64 KiB a paused socket holds
 * in Node and the kernel, so a server that only half-closes and waits for the client waits forever.
 */
const JUNK_BYTES = 200_000;

/** Clients per trigger: enough that a leak shows as a count, few enough for any connection limit. */
const CLIENTS = 5;

/** How long the connection count may take to come back: the servers' linger (2 s) and a busy machine. */
const RELEASE_TIMEOUT_MS = 15_000;

const text = (s: string) => Buffer.from(s, 'latin1');

/** The four ways a client makes the server close its connection. */
export const CLOSE_TRIGGERS: readonly CloseTrigger[] = [
  { name: 'quit', binary: false, bytes: text(`${'version\r\n'.repeat(BURST)}quit\r\n`) },
  { name: 'a line over the limit', binary: false, bytes: text(`${'version\r\n'.repeat(BURST)}${'y'.repeat(4096)}`) },
  { name: 'an HTTP request', binary: false, bytes: text(`${'version\r\n'.repeat(BURST)}GET / HTTP/1.0\r\n`) },
  {
    name: 'binary Quit',
    binary: true,
    bytes: Buffer.concat([...Array.from({ length: BURST }, () => encodeRequest({ opcode: Opcode.Noop })), encodeRequest({ opcode: Opcode.Quit })]),
  },
];

/** Opens a client that sends `trigger` and then junk, never reads, and never closes. */
async function careless(target: Target, trigger: CloseTrigger): Promise<Socket> {
  const socket = connect({ host: target.host, port: target.port });
  // The server resets or closes it: either is fine, and neither may fail the test process.
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.pause();
  socket.write(Buffer.concat([trigger.bytes, Buffer.alloc(JUNK_BYTES, 'x')]));
  return socket;
}

/** Polls `stats` until curr_connections is at most `limit`; returns the last count seen. */
async function waitForConnections(stats: WireConnection, limit: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = Number((await readStats(stats)).get('curr_connections'));
    if (current <= limit || Date.now() >= deadline) return current;
    // Polling a counter over the wire: there is no event to wait for from outside the server.
    await sleep(100);
  }
}

/** Checks that connections closed by `trigger` give their slots back while their clients linger. */
export async function checkReleasedConnections(target: Target, trigger: CloseTrigger): Promise<void> {
  const stats = await WireConnection.open(target.host, target.port);
  const clients: Socket[] = [];
  try {
    const baseline = Number((await readStats(stats)).get('curr_connections'));
    for (let i = 0; i < CLIENTS; i++) clients.push(await careless(target, trigger));
    const current = await waitForConnections(stats, baseline, RELEASE_TIMEOUT_MS);
    assert.ok(
      current <= baseline,
      `${target.label}: ${CLIENTS} clients sent ${BURST} requests, then ${trigger.name}, then ${JUNK_BYTES} more bytes, and stayed ` +
        `without reading: curr_connections was ${baseline} before and is still ${current} after ${RELEASE_TIMEOUT_MS} ms`,
    );
  } finally {
    stats.destroy();
    for (const client of clients) client.destroy();
  }
}
