/**
 * A client process of connections mode. One process can hold about 19,900 sockets (the
 * descriptor limit here is 20,000), so the parent spreads larger counts over several of these.
 * It opens its share of connections, later checks that each still answers, then closes them.
 * @module
 */
import { codecFor } from '../client/codecs.ts';
import type { Connection } from '../client/connection.ts';
import type { ChildMessage, ParentMessage } from './connections-protocol.ts';
import { failureCause, openConnections } from './open-connections.ts';

let connections: Connection[] = [];

function reply(message: ChildMessage): void {
  process.send!(message);
}

async function open(message: Extract<ParentMessage, { type: 'open' }>): Promise<void> {
  const { localAddresses, firstIndex } = message;
  const codec = codecFor(message.protocol);
  const opened = await openConnections(message.count, message.parallel, (i) => ({
    host: message.host,
    port: message.port,
    localAddress: localAddresses[(firstIndex + i) % localAddresses.length],
    connectTimeoutMs: message.timeoutMs,
    requestTimeoutMs: message.timeoutMs,
    codec,
  }));
  connections = opened.connections;
  reply({ type: 'opened', opened: connections.length, failures: Object.fromEntries(opened.failures), elapsedMs: opened.elapsedMs });
}

async function verify(): Promise<void> {
  const started = performance.now();
  const outcomes = await Promise.allSettled(connections.map((connection) => connection.request({ op: 'version' })));
  const failures = new Map<string, number>();
  let answered = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled' && outcome.value.kind === 'version') {
      answered++;
      continue;
    }
    const cause = outcome.status === 'rejected' ? failureCause(outcome.reason)
      : outcome.value.kind === 'error' ? (outcome.value.code ?? outcome.value.type) : `unexpected ${outcome.value.kind} reply`;
    failures.set(cause, (failures.get(cause) ?? 0) + 1);
  }
  reply({ type: 'verified', answered, failures: Object.fromEntries(failures), elapsedMs: performance.now() - started });
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'open') void open(message);
  else if (message.type === 'verify') void verify();
  else {
    for (const connection of connections) connection.destroy();
    process.disconnect();
  }
});
// If the parent dies, the IPC channel closes: leave with it rather than hold sockets open.
process.on('disconnect', () => process.exit(0));
