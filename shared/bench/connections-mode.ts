/**
 * Connections mode: how many idle connections a server holds, and what each costs. N connections
 * are spread over one or more server processes of the target (each on its own port: one process
 * holds under 20,000 descriptors here), opened from as many client processes as N needs, from
 * several loopback source addresses so that ephemeral ports never run out — each client process
 * binding pairs of address and port from a slice of its own (so no connect makes the kernel search
 * for a free port), or, with `--source-ports kernel`, the address alone; then each must answer a
 * request. Reports the establishment rate, the success rate, and the servers' RSS growth per
 * connection — and, when it falls short, which limit stopped it. Opening stops early when the
 * machine's available memory falls under a floor, or when it has taken `--open-limit-s`.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Codec } from '../client/codec.ts';
import { NO_PROTOCOL, type ChildMessage, type ParentMessage } from './connections-protocol.ts';
import type { BenchOptions } from './options.ts';
import { ProgressBar } from './progress.ts';
import type { RunContext } from './report.ts';
import { writeResults } from './results.ts';
import { MemoryWatch } from './memory-watch.ts';
import { startGroup, type ServerGroup } from './server-group.ts';
import { portSlice, SOURCE_PORT_RANGE } from './source-ports.ts';
import { formatBytes, formatCount, formatTable } from './table.ts';
import { withProtocol } from './target-protocol.ts';
import { resolveTarget, type ServerArgs } from './targets.ts';

/** The course's goal for one server process on this machine (20,000 descriptors per process). */
export const MIN_IDLE_CONNECTIONS = 18_000;
/** Connects outstanding per client process: well under the kernel's accept backlog (somaxconn 4096). */
const PARALLEL_CONNECTS_PER_PROCESS = 256;
/**
 * memcached sets its descriptor limit to -c itself, and the hard limit here is 20,000, so -c 20000
 * is the most it can be given (-c 25000 makes it exit: "failed to set rlimit for open files").
 */
const MEMCACHED_MAX_CONNS = 20_000;
/** A phase's connection limit: its share plus room for the bench's own probes. */
const PHASE_CONNECTION_SLACK = 100;

const CHILD = fileURLToPath(new URL('./connections-child.ts', import.meta.url));

/** Loopback source addresses 127.0.0.2 … for `count` of them (each has its own ~28,000 ephemeral ports). */
export function sourceAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`);
}

/** One target's outcome. */
export interface ConnectionsReport {
  readonly name: string;
  readonly command?: string;
  readonly unavailable?: string;
  readonly error?: string;
  readonly requested?: number;
  readonly serverProcesses?: number;
  readonly processes?: number;
  readonly sourceAddresses?: number;
  /** Who chose the source ports: the client processes (`assigned`) or the kernel. */
  readonly sourcePorts?: string;
  /** Source pairs found taken (by another socket) and stepped over, by error code. */
  readonly retriedPairs?: Record<string, number>;
  readonly opened?: number;
  readonly answered?: number;
  /** Answered connections per server process. */
  readonly answeredPerServer?: readonly number[];
  readonly failures?: Record<string, number>;
  /** Connections established per second, over the slowest client process's open phase. */
  readonly establishRate?: number;
  /** Summed over the server processes. */
  readonly serverRssBeforeBytes?: number;
  readonly serverRssAfterBytes?: number;
  readonly rssPerConnectionBytes?: number;
  /** With `--settle-s`: the servers' RSS after the connections sat idle that long, and per connection. */
  readonly serverRssSettledBytes?: number;
  readonly rssPerConnectionSettledBytes?: number;
  readonly serverUnavailable?: string;
  /** The least memory available on the machine during the run (MemAvailable). */
  readonly lowestAvailableBytes?: number;
  /** In words: why fewer than requested answered. */
  readonly stoppedBy?: string;
  readonly pass?: boolean;
}

/** What each failure cause means, in words a learner can act on. */
const CAUSES: Record<string, string> = {
  EMFILE: 'the client process ran out of file descriptors (20,000 per process here): lower --per-process',
  ENFILE: 'the system-wide file table is full (fs.file-max)',
  EADDRNOTAVAIL: 'ephemeral ports ran out for the source addresses (net.ipv4.ip_local_port_range): more --source-addresses',
  EADDRINUSE: 'no free ephemeral port on a source address (each has ~28,000): more --source-addresses; with assigned ports, 64 pairs in a row were taken by other sockets',
  SOURCE_PAIRS_EXHAUSTED: 'a client process used every (address, port) pair of its slice: more --source-addresses',
  ECONNREFUSED: 'the server refused connections: its accept backlog overflowed or it stopped listening',
  ECONNRESET: 'the server reset connections: usually its connection or descriptor limit',
  ENOMEM: 'the kernel could not allocate memory for a socket',
  ENOBUFS: 'the kernel ran out of socket buffer memory (net.ipv4.tcp_mem)',
  CONNECT_FAILED: 'connects timed out: the accept backlog is full (net.core.somaxconn) or the server accepts too slowly',
  CONNECTION_CLOSED: 'the server closed connections after accepting them: its connection limit (memcached -c, a phase\'s --max-connections) or its descriptor limit',
  TOO_MANY_CONNECTIONS: 'the server answered "ERROR Too many open connections": its connection limit (memcached -c, a phase\'s --max-connections)',
  TIMEOUT: 'connections stayed open but did not answer in time: the server is overloaded, or accepts no more (its descriptors: 20,000 per process)',
};

/** Why a run fell short, in words: each limit that stopped it, then each failure cause, most frequent first. */
export function stopReason(failures: Record<string, number>, alive: boolean, memory: MemoryWatch, options: BenchOptions, outOfTime: boolean): string {
  const reasons: string[] = [];
  if (!alive) reasons.push('a server process exited');
  if (memory.tripped) reasons.push(`memory: the machine's available memory fell under ${formatCount(options.minFreeMb)} MiB and opening stopped`);
  if (outOfTime) reasons.push(`time: opening took the whole --open-limit-s ${options.openLimitS} and stopped (connects this slow: see the CPU's system time)`);
  const ranked = Object.entries(failures).sort((a, b) => b[1] - a[1]);
  reasons.push(...ranked.map(([cause, count]) => `${formatCount(count)} × ${cause}: ${CAUSES[cause] ?? 'see the JSON report'}`));
  return reasons.join('; ');
}

function serverArgs(options: BenchOptions): ServerArgs {
  const share = Math.ceil(options.connections / options.serverProcesses);
  return {
    memcached: options.memcachedArgs.length ? options.memcachedArgs : ['-c', String(MEMCACHED_MAX_CONNS)],
    phase: options.phaseArgs.length ? options.phaseArgs : ['--max-connections', String(share + PHASE_CONNECTION_SLACK)],
  };
}

function nextMessage(child: ChildProcess, type: ChildMessage['type']): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`a client process exited with ${code} before reporting "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function addFailures(into: Record<string, number>, from: Record<string, number>): void {
  for (const [cause, count] of Object.entries(from)) into[cause] = (into[cause] ?? 0) + count;
}

/** Client processes for a run: as asked, or as few as hold the connections at `perProcess` each. */
function clientProcesses(options: BenchOptions): number {
  return options.clientProcesses || Math.ceil(options.connections / options.perProcess);
}

/** Opens, verifies and closes the connections against one target's started server processes. */
async function measure(group: ServerGroup, options: BenchOptions, protocol: string, bar: ProgressBar, name: string) {
  const before = group.rssBytes();
  const processes = clientProcesses(options);
  const localAddresses = sourceAddresses(options.sourceAddresses);
  const servers = group.servers.map(({ host, port }) => ({ host, port }));
  const children = Array.from({ length: processes }, () => fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const stopOpening = () => {
    for (const child of children) if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
  };
  // Short of memory or of time, every client stops opening; the run goes on to verify what it holds.
  const memory = new MemoryWatch(options.minFreeMb * 1024 * 1024, stopOpening);
  let outOfTime = false;
  const deadline = setTimeout(() => {
    outOfTime = true;
    stopOpening();
  }, options.openLimitS * 1000);
  try {
    bar.update(`${name} opening ${formatCount(options.connections)} connections`, undefined, `${group.servers.length} server, ${processes} client process(es)`);
    const openedReplies = children.map((child) => nextMessage(child, 'opened'));
    children.forEach((child, i) => {
      const share = Math.floor(options.connections / processes) + (i < options.connections % processes ? 1 : 0);
      const message: ParentMessage = {
        type: 'open', servers, count: share, localAddresses, first: i, stride: processes,
        parallel: PARALLEL_CONNECTS_PER_PROCESS, timeoutMs: options.timeoutMs, protocol,
        sourcePorts: options.sourcePorts === 'assigned' ? portSlice(SOURCE_PORT_RANGE, i, processes) : undefined,
      };
      child.send(message);
    });
    const opened = await Promise.all(openedReplies);
    clearTimeout(deadline);
    const failures: Record<string, number> = {};
    const retried: Record<string, number> = {};
    let openedCount = 0;
    let slowestMs = 0;
    for (const message of opened) {
      if (message.type !== 'opened') continue;
      openedCount += message.opened;
      slowestMs = Math.max(slowestMs, message.elapsedMs);
      addFailures(failures, message.failures);
      addFailures(retried, message.retried);
    }
    bar.update(`${name} verifying ${formatCount(openedCount)} connections`, undefined, '');
    const verifiedReplies = children.map((child) => nextMessage(child, 'verified'));
    for (const child of children) child.send({ type: 'verify' } satisfies ParentMessage);
    let answered = 0;
    const answeredPerServer = servers.map(() => 0);
    for (const message of await Promise.all(verifiedReplies)) {
      if (message.type !== 'verified') continue;
      answered += message.answered;
      message.answeredPerServer.forEach((count, i) => (answeredPerServer[i]! += count));
      addFailures(failures, message.failures);
    }
    // Every connection is open and has served a request: the servers' memory now includes them all.
    const after = group.rssBytes();
    // An idle V8 heap is collected only by its memory reducer, some seconds after allocation
    // stops: sampling again later tells the connections apart from what opening them left.
    let settled: number | undefined;
    if (options.settleS > 0) {
      bar.update(`${name} holding ${formatCount(answered)} idle connections for ${options.settleS} s`, undefined, '');
      await delay(options.settleS * 1000);
      settled = group.rssBytes();
    }
    return {
      processes, openedCount, answered, answeredPerServer, failures, retried, establishRate: openedCount / (slowestMs / 1000), before, after, settled, memory, outOfTime,
    };
  } finally {
    clearTimeout(deadline);
    memory.stop();
    await Promise.all(children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      if (child.connected) child.send({ type: 'close' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      await exited;
      clearTimeout(timer);
    }));
  }
}

/** Ends the run on Ctrl-C or a kill as on any error: process exit handlers stop every server, and clients leave with the IPC channel. */
function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}

/** Runs connections mode; returns the exit status. */
export async function runConnectionsMode(options: BenchOptions, context: RunContext, codec: Codec): Promise<number> {
  exitOnSignals();
  const bar = new ProgressBar();
  const reports: ConnectionsReport[] = [];
  let failed = false;
  console.log(`connections: ${formatCount(options.connections)} idle connections per target over ${options.serverProcesses} server process(es), `
    + `from ${clientProcesses(options)} client process(es) and ${options.sourceAddresses} source addresses (ports: ${options.sourcePorts}), protocol ${codec.name}; `
    + `opening stops under ${formatCount(options.minFreeMb)} MiB of available memory`);
  for (const spec of await withProtocol(options.targets.map(resolveTarget), codec.name)) {
    if (spec.unavailable) {
      reports.push({ name: spec.name, unavailable: spec.unavailable });
      continue;
    }
    let command: string | undefined;
    try {
      if (spec.kind === 'external' && options.serverProcesses > 1) throw new Error('an external target is one server: --server-processes applies to started targets');
      const group = await startGroup(spec, serverArgs(options), options.serverProcesses);
      command = group.command;
      try {
        const m = await measure(group, options, spec.kind === 'bare' ? NO_PROTOCOL : codec.name, bar, spec.name);
        const alive = group.alive() === group.servers.length;
        const growth = (now: number | undefined) => (m.before !== undefined && now !== undefined && m.answered > 0 ? (now - m.before) / m.answered : undefined);
        const perConnection = growth(m.after);
        reports.push({
          name: spec.name, command, requested: options.connections, serverProcesses: group.servers.length, processes: m.processes,
          sourceAddresses: options.sourceAddresses, sourcePorts: options.sourcePorts, retriedPairs: m.retried, opened: m.openedCount,
          answered: m.answered, answeredPerServer: m.answeredPerServer, failures: m.failures, establishRate: m.establishRate,
          serverRssBeforeBytes: m.before, serverRssAfterBytes: m.after, rssPerConnectionBytes: perConnection,
          serverRssSettledBytes: m.settled, rssPerConnectionSettledBytes: growth(m.settled),
          serverUnavailable: group.unavailable, lowestAvailableBytes: m.memory.lowestBytes,
          stoppedBy: m.answered < options.connections || !alive ? stopReason(m.failures, alive, m.memory, options, m.outOfTime) : undefined,
          pass: alive && m.answered >= Math.min(MIN_IDLE_CONNECTIONS, options.connections) && m.answered === options.connections,
        });
      } finally {
        await group.stop();
      }
    } catch (error) {
      failed = true;
      reports.push({ name: spec.name, command, error: (error as Error).message.split('\n')[0] });
    }
    bar.clear();
  }

  const measured = reports.filter((r) => r.answered !== undefined);
  const cell = (pick: (r: ConnectionsReport) => string) => measured.map(pick);
  const rows = [
    ['requested', ...cell((r) => formatCount(r.requested!))],
    ['server processes', ...cell((r) => String(r.serverProcesses))],
    ['client processes', ...cell((r) => String(r.processes))],
    ['source addresses', ...cell((r) => String(r.sourceAddresses))],
    ['source ports', ...cell((r) => r.sourcePorts!)],
    ['pairs found taken', ...cell((r) => formatCount(Object.values(r.retriedPairs ?? {}).reduce((a, b) => a + b, 0)))],
    ['opened', ...cell((r) => formatCount(r.opened!))],
    ['answered', ...cell((r) => formatCount(r.answered!))],
    ['success rate', ...cell((r) => `${((r.answered! / r.requested!) * 100).toFixed(2)} %`)],
    ['established per second', ...cell((r) => formatCount(r.establishRate!))],
    ['server RSS before', ...cell((r) => (r.serverRssBeforeBytes === undefined ? 'n/a' : formatBytes(r.serverRssBeforeBytes)))],
    ['server RSS after', ...cell((r) => (r.serverRssAfterBytes === undefined ? 'n/a' : formatBytes(r.serverRssAfterBytes)))],
    ['RSS per connection', ...cell((r) => (r.rssPerConnectionBytes === undefined ? 'n/a' : `${formatCount(r.rssPerConnectionBytes)} B`))],
    ...(options.settleS > 0 ? [[`RSS per connection, ${options.settleS} s idle`,
      ...cell((r) => (r.rssPerConnectionSettledBytes === undefined ? 'n/a' : `${formatCount(r.rssPerConnectionSettledBytes)} B`))]] : []),
    ['least memory available', ...cell((r) => (r.lowestAvailableBytes === undefined ? 'n/a' : formatBytes(r.lowestAvailableBytes)))],
    [`≥ ${formatCount(Math.min(MIN_IDLE_CONNECTIONS, options.connections))}, all answering`, ...cell((r) => (r.pass ? 'PASS' : 'FAIL'))],
  ];
  if (measured.length) console.log(`\n${formatTable(['', ...measured.map((r) => r.name)], rows)}`);
  for (const r of measured) if (r.stoppedBy) console.log(`${r.name} stopped short: ${r.stoppedBy}`);
  for (const r of measured) if (r.serverUnavailable) console.log(`${r.name}: server memory unavailable (${r.serverUnavailable})`);
  for (const r of reports) if (r.answered === undefined) console.log(`${r.name}: not available — ${r.unavailable ?? r.error}`);
  const paths = writeResults(options.out, 'connections', context.startedAt, { kind: 'kvlab-bench', mode: 'connections', context, options, targets: reports });
  console.log(`\nreport: ${paths.json}`);
  return failed ? 1 : 0;
}
