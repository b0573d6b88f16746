/**
 * Many clients at once: open N connections, keep them all open, and have each store and read back
 * its own key concurrently. Every reply must belong to its own connection.
 * @module
 */
import assert from 'node:assert/strict';
import type { Target } from '../target.ts';
import { WireConnection } from '../wire-connection.ts';
import { ask } from './ask.ts';

/** Concurrent connections: well inside memcached's default 1024, yet far beyond a worker pool's size. */
export const CONNECTIONS = 200;

/** Opens {@link CONNECTIONS} connections and runs a set and a get on each, all at once. */
export async function checkManyConnections(target: Target, prefix: string): Promise<void> {
  const connections = await Promise.all(Array.from({ length: CONNECTIONS }, () => WireConnection.open(target.host, target.port)));
  try {
    await Promise.all(
      connections.map(async (connection, i) => {
        const key = `${prefix}-${i}`;
        const value = `value-of-connection-${i}`;
        assert.equal(await ask(connection, `set ${key} ${i} 0 ${value.length}\r\n${value}\r\n`, '\r\n'), 'STORED\r\n', `connection ${i}: set`);
        assert.equal(
          await ask(connection, `get ${key}\r\n`, 'END\r\n'),
          `VALUE ${key} ${i} ${value.length}\r\n${value}\r\nEND\r\n`,
          `connection ${i}: get returned another connection's data or nothing`,
        );
      }),
    );
  } finally {
    for (const connection of connections) connection.destroy();
  }
}
