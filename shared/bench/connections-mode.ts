/**
 * Connections mode: how many idle connections one server holds, and what each costs. N
 * connections are opened from several client processes when N exceeds one process's descriptor
 * budget, from several loopback source addresses so that ephemeral ports never run out; then each
 * must answer a request. Reports the establishment rate, the success rate, and the server's RSS
 * growth per connection — and, when it falls short, which limit stopped it.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Codec } from '../client/codec.ts';
import type { ChildMessage, ParentMessage } from './connections-protocol.ts';
import type { BenchOptions } from './options.ts';
import { ProgressBar } from './progress.ts';
import type { RunContext } from './report.ts';
import { writeResults } from './results.ts';
import { ServerSampler } from './server-sampler.ts';
import { formatBytes, formatCount, formatTable } from './table.ts';
import { withProtocol } from './target-protocol.ts';
import { resolveTarget, startTarget, type ServerArgs } from './targets.ts';

/** The course's goal for one server process on this machine (20,000 descriptors per process). */
export const MIN_IDLE_CONNECTIONS = 18_000;
/** Source addresses 127.0.0.2 … 127.0.0.17: 16 × ~28,000 ephemeral ports is far more than needed. */
const SOURCE_ADDRESSES = Array.from({ length: 16 }, (_, i) => `127.0.0.${i + 2}`);
/** Connects outstanding per client process: well under the kernel's accept backlog (somaxconn 4096). */
const PARALLEL_CONNECTS_PER_PROCESS = 256;
/**
 * memcached sets its descriptor limit to -c itself, and the hard limit here is 20,000, so -c 20000
 * is the most it can be given (-c 25000 makes it exit: "failed to set rlimit for open files").
 */
const MEMCACHED_MAX_CONNS = 20_000;

const CHILD = fileURLToPath(new URL('./connections-child.ts', import.meta.url));

/** One target's outcome. */
export interface ConnectionsReport {
  readonly name: string;
  readonly command?: string;
  readonly unavailable?: string;
  readonly error?: string;
  readonly requested?: number;
  readonly processes?: number;
  readonly opened?: number;
  readonly answered?: number;
  readonly failures?: Record<string, number>;
  /** Connections established per second, over the slowest client process's open phase. */
  readonly establishRate?: number;
  readonly serverRssBeforeBytes?: number;
  readonly serverRssAfterBytes?: number;
  readonly rssPerConnectionBytes?: number;
  readonly serverUnavailable?: string;
  /** In words: why fewer than requested answered. */
  readonly stoppedBy?: string;
  readonly pass?: boolean;
}

/** What each failure cause means, in words a learner can act on. */
const CAUSES: Record<string, string> = {
  EMFILE: 'the client process ran out of file descriptors (20,000 per process here): lower --per-process',
  ENFILE: 'the system-wide file table is full (fs.file-max)',
  EADDRNOTAVAIL: 'ephemeral ports ran out for the source addresses (net.ipv4.ip_local_port_range)',
  ECONNREFUSED: 'the server refused connections: its accept backlog overflowed or it stopped listening',
  ECONNRESET: 'the server reset connections: usually its connection or descriptor limit',
  CONNECT_FAILED: 'connects timed out: the accept backlog is full (net.core.somaxconn) or the server accepts too slowly',
  CONNECTION_CLOSED: 'the server closed connections after accepting them: its connection limit (memcached -c, a phase\'s --max-connections) or its descriptor limit',
  TOO_MANY_CONNECTIONS: 'the server answered "ERROR Too many open connections": its connection limit (memcached -c, a phase\'s --max-connections)',
  TIMEOUT: 'connections stayed open but did not answer in time: the server is overloaded',
};

function stopReason(failures: Record<string, number>, alive: boolean): string {
  if (!alive) return 'the server process exited';
  const ranked = Object.entries(failures).sort((a, b) => b[1] - a[1]);
  return ranked.map(([cause, count]) => `${formatCount(count)} × ${cause}: ${CAUSES[cause] ?? 'see the JSON report'}`).join('; ');
}

function serverArgs(options: BenchOptions): ServerArgs {
  return {
    memcached: options.memcachedArgs.length ? options.memcachedArgs : ['-c', String(MEMCACHED_MAX_CONNS)],
    phase: options.phaseArgs.length ? options.phaseArgs : ['--max-connections', String(options.connections + 100)],
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

/** Opens, verifies and closes the connections against one started server. */
async function measure(host: string, port: number, pid: number | undefined, options: BenchOptions, protocol: string, bar: ProgressBar, name: string) {
  const sampler = new ServerSampler(pid);
  const before = sampler.now();
  const processes = Math.ceil(options.connections / options.perProcess);
  const children = Array.from({ length: processes }, () => fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    bar.update(`${name} opening ${formatCount(options.connections)} connections`, undefined, `${processes} client process(es)`);
    const openedReplies = children.map((child) => nextMessage(child, 'opened'));
    children.forEach((child, i) => {
      const share = Math.floor(options.connections / processes) + (i < options.connections % processes ? 1 : 0);
      const message: ParentMessage = {
        type: 'open', host, port, count: share, localAddresses: SOURCE_ADDRESSES, firstIndex: i,
        parallel: PARALLEL_CONNECTS_PER_PROCESS, timeoutMs: options.timeoutMs, protocol,
      };
      child.send(message);
    });
    const opened = await Promise.all(openedReplies);
    const failures: Record<string, number> = {};
    let openedCount = 0;
    let slowestMs = 0;
    for (const message of opened) {
      if (message.type !== 'opened') continue;
      openedCount += message.opened;
      slowestMs = Math.max(slowestMs, message.elapsedMs);
      addFailures(failures, message.failures);
    }
    bar.update(`${name} verifying ${formatCount(openedCount)} connections`, undefined, '');
    const verifiedReplies = children.map((child) => nextMessage(child, 'verified'));
    for (const child of children) child.send({ type: 'verify' } satisfies ParentMessage);
    let answered = 0;
    for (const message of await Promise.all(verifiedReplies)) {
      if (message.type !== 'verified') continue;
      answered += message.answered;
      addFailures(failures, message.failures);
    }
    // Every connection is open and has served a request: the server's memory now includes them all.
    const after = sampler.now();
    return { processes, openedCount, answered, failures, establishRate: openedCount / (slowestMs / 1000), before, after, sampler };
  } finally {
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

/** Runs connections mode; returns the exit status. */
export async function runConnectionsMode(options: BenchOptions, context: RunContext, codec: Codec): Promise<number> {
  const bar = new ProgressBar();
  const reports: ConnectionsReport[] = [];
  let failed = false;
  console.log(`connections: ${formatCount(options.connections)} idle connections per target, at most ${formatCount(options.perProcess)} per client process, from ${SOURCE_ADDRESSES.length} source addresses, protocol ${codec.name}`);
  for (const spec of await withProtocol(options.targets.map(resolveTarget), codec.name)) {
    if (spec.unavailable) {
      reports.push({ name: spec.name, unavailable: spec.unavailable });
      continue;
    }
    let command: string | undefined;
    try {
      const target = await startTarget(spec, serverArgs(options));
      command = target.command;
      try {
        const m = await measure(target.host, target.port, target.pid, options, codec.name, bar, spec.name);
        const alive = target.alive();
        const perConnection = m.before && m.after && m.answered > 0 ? (m.after.rssBytes - m.before.rssBytes) / m.answered : undefined;
        reports.push({
          name: spec.name, command, requested: options.connections, processes: m.processes, opened: m.openedCount,
          answered: m.answered, failures: m.failures, establishRate: m.establishRate,
          serverRssBeforeBytes: m.before?.rssBytes, serverRssAfterBytes: m.after?.rssBytes, rssPerConnectionBytes: perConnection,
          serverUnavailable: m.sampler.unavailable,
          stoppedBy: m.answered < options.connections || !alive ? stopReason(m.failures, alive) : undefined,
          pass: alive && m.answered >= Math.min(MIN_IDLE_CONNECTIONS, options.connections) && m.answered === options.connections,
        });
      } finally {
        await target.stop();
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
    ['client processes', ...cell((r) => String(r.processes))],
    ['opened', ...cell((r) => formatCount(r.opened!))],
    ['answered', ...cell((r) => formatCount(r.answered!))],
    ['success rate', ...cell((r) => `${((r.answered! / r.requested!) * 100).toFixed(2)} %`)],
    ['established per second', ...cell((r) => formatCount(r.establishRate!))],
    ['server RSS before', ...cell((r) => (r.serverRssBeforeBytes === undefined ? 'n/a' : formatBytes(r.serverRssBeforeBytes)))],
    ['server RSS after', ...cell((r) => (r.serverRssAfterBytes === undefined ? 'n/a' : formatBytes(r.serverRssAfterBytes)))],
    ['RSS per connection', ...cell((r) => (r.rssPerConnectionBytes === undefined ? 'n/a' : `${formatCount(r.rssPerConnectionBytes)} B`))],
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
