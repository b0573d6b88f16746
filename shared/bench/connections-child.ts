/**
 * A client process of connections mode. One process can hold about 19,900 sockets (the
 * descriptor limit here is 20,000), so the parent spreads larger counts over several of these.
 * It opens its share of connections — each from a source pair of its own slice, or from a source
 * address alone, leaving the port to the kernel — later checks that each still answers, then
 * closes them.
 * @module
 */
import { codecFor } from '../client/codecs.ts';
import { NO_PROTOCOL, type ChildMessage, type ParentMessage } from './connections-protocol.ts';
import { IdleConnection } from './idle-connection.ts';
import { failureCause, openEach } from './open-connections.ts';
import { connectFromPairs, SourcePairs } from './source-ports.ts';

const connections: IdleConnection[] = [];
/** The server process (its index in the open message's list) of each connection. */
const serverOf: number[] = [];
let serverCount = 0;
/** Told to stop opening: the lanes finish the connect in hand and take no new one. */
let stopped = false;
/** Nothing to ask of a server that serves no protocol: it is verified by its connections staying open. */
let silent = false;
/** How long a connection may take to answer: the open message's timeout. */
let requestTimeoutMs = 5000;

function reply(message: ChildMessage): void {
  process.send!(message);
}

async function open(message: Extract<ParentMessage, { type: 'open' }>): Promise<void> {
  const { localAddresses, servers, first, stride } = message;
  silent = message.protocol === NO_PROTOCOL;
  requestTimeoutMs = message.timeoutMs;
  const codec = codecFor(silent ? 'text' : message.protocol);
  serverCount = servers.length;
  const pairs = message.sourcePorts && new SourcePairs(localAddresses, message.sourcePorts, servers.map((server) => server.port));
  const retried = new Map<string, number>();
  const countRetry = (code: string) => retried.set(code, (retried.get(code) ?? 0) + 1);
  const opened = await openEach(message.count, message.parallel, (i) => {
    const n = first + i * stride;
    const server = servers[n % servers.length]!;
    const to = { host: server.host, port: server.port, timeoutMs: message.timeoutMs, codec };
    if (pairs === undefined) return IdleConnection.connect({ ...to, localAddress: localAddresses[n % localAddresses.length] });
    return connectFromPairs(pairs, (pair) => IdleConnection.connect({ ...to, ...pair }), countRetry);
  }, () => stopped, (i, connection) => {
    // Kept in the order they opened, each beside its server, for the count per server.
    connections.push(connection);
    serverOf.push((first + i * stride) % servers.length);
  });
  reply({
    type: 'opened', opened: connections.length, failures: Object.fromEntries(opened.failures),
    retried: Object.fromEntries(retried), elapsedMs: opened.elapsedMs,
  });
}

async function verify(): Promise<void> {
  const started = performance.now();
  const failures = new Map<string, number>();
  let answered = 0;
  const answeredPerServer = Array.from({ length: serverCount }, () => 0);
  if (silent) {
    connections.forEach((connection, i) => {
      if (connection.usable) {
        answered++;
        answeredPerServer[serverOf[i]!]!++;
      } else failures.set('CONNECTION_CLOSED', (failures.get('CONNECTION_CLOSED') ?? 0) + 1);
    });
  } else {
    const outcomes = await Promise.allSettled(connections.map((connection) => connection.ask({ op: 'version' }, requestTimeoutMs)));
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled' && outcome.value.kind === 'version') {
        answered++;
        answeredPerServer[serverOf[i]!]!++;
        continue;
      }
      const cause = outcome.status === 'rejected' ? failureCause(outcome.reason)
        : outcome.value.kind === 'error' ? (outcome.value.code ?? outcome.value.type) : `unexpected ${outcome.value.kind} reply`;
      failures.set(cause, (failures.get(cause) ?? 0) + 1);
    }
  }
  reply({ type: 'verified', answered, answeredPerServer, failures: Object.fromEntries(failures), elapsedMs: performance.now() - started });
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'open') void open(message);
  else if (message.type === 'verify') void verify();
  else if (message.type === 'stop') stopped = true;
  else {
    for (const connection of connections) connection.destroy();
    process.disconnect();
  }
});
// If the parent dies, the IPC channel closes: leave with it rather than hold sockets open.
process.on('disconnect', () => process.exit(0));
