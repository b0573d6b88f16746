/**
 * Clients for the edge's tests: connections from chosen loopback source addresses (the edge keys
 * its buckets and per-address counts by source address, and 127.0.0.0/8 gives one machine as many
 * as a test needs), a reply counter for a pipelining client, and `stats` as a map or one number.
 * @module
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { askUntil, REPLY_TIMEOUT_MS } from '../../../../shared/testing/line-client.ts';

/** Opens a connection to 127.0.0.1:`port` from `localAddress`. */
export async function openFrom(port: number, localAddress: string): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => undefined);
  await once(socket, 'connect', { signal: AbortSignal.timeout(REPLY_TIMEOUT_MS) });
  return socket;
}

/** Resolves once `socket` has closed — by a FIN or a reset, both are a close — or rejects after `timeoutMs`. */
export function closedWithin(socket: Socket, timeoutMs: number): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `stats` over `socket`, by name. */
export async function statsOf(socket: Socket): Promise<Map<string, string>> {
  const reply = await askUntil(socket, 'stats\r\n', 'END\r\n');
  const stats = new Map<string, string>();
  for (const line of reply.split('\r\n')) {
    const [word, name, value] = line.split(' ');
    if (word === 'STAT' && name !== undefined && value !== undefined) stats.set(name, value);
  }
  return stats;
}

/** One stat, as a number, asked over a connection of its own from 127.0.0.1. */
export async function statFrom(port: number, name: string): Promise<number> {
  const socket = await openFrom(port, '127.0.0.1');
  try {
    return Number((await statsOf(socket)).get(name));
  } finally {
    socket.destroy();
  }
}

/**
 * Keeps `depth` requests in flight on `socket` and counts the lines that come back, by first word;
 * `stop()` stops sending. Each request is `request`, whose reply is one line.
 */
export function flood(socket: Socket, request: string, depth: number): { lines: Map<string, number>; total(): number; stop(): void } {
  const lines = new Map<string, number>();
  let pending = '';
  let stopped = false;
  let total = 0;
  const bytes = Buffer.from(request);
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    let end = pending.indexOf('\r\n');
    while (end !== -1) {
      const word = pending.slice(0, end);
      lines.set(word, (lines.get(word) ?? 0) + 1);
      total++;
      if (!stopped) socket.write(bytes);
      pending = pending.slice(end + 2);
      end = pending.indexOf('\r\n');
    }
  });
  for (let i = 0; i < depth; i++) socket.write(bytes);
  return { lines, total: () => total, stop: () => { stopped = true; } };
}
