/**
 * What a fuzz run found, and how it is printed. A run is clean when the server never crashed or
 * hung, the canary survived every check, and the connection count came back to its baseline;
 * connections the server closed are counted apart, since hanging up on garbage is legitimate.
 * Every finding says how to replay it: the whole run by its seed, one session by its number.
 * @module
 */
import type { ConnectionCounts } from './connection-watcher.ts';
import type { RssFigures } from './memory-watch.ts';
import type { FuzzProtocolName } from './fuzz-protocol.ts';
import type { SessionOutcome } from './fuzz-session.ts';

/** One thing that went wrong. */
export interface Finding {
  /** The session it happened in, when it happened in one. */
  readonly session: number | null;
  readonly detail: string;
  /** The session's bytes, escaped and shortened, when it happened in one. */
  readonly sent?: string;
}

/** Why the run stopped. */
export type StopReason = 'frames' | 'seconds' | 'crash' | 'hangs';

/** Findings of one kind: how many, and the first few in full. */
export interface FindingList {
  readonly count: number;
  readonly first: readonly Finding[];
}

/** A finished run. */
export interface FuzzReport {
  readonly target: string;
  readonly protocol: FuzzProtocolName;
  readonly seed: number;
  readonly connections: number;
  readonly framesPlanned: number;
  readonly framesSent: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Sessions by how they ended. */
  readonly sessions: Readonly<Record<SessionOutcome['kind'], number>>;
  readonly canaryChecks: number;
  readonly elapsedMs: number;
  readonly stoppedBy: StopReason;
  readonly crashes: FindingList;
  readonly hangs: FindingList;
  readonly canaryLosses: FindingList;
  readonly connectionCounts: ConnectionCounts;
  /** Null when the server's memory cannot be read (an address target). */
  readonly rss: RssFigures | null;
  /** The command that reruns this exact run. */
  readonly replay: string;
  /** The tail of the server's output when it crashed or logged errors (started targets only). */
  readonly serverOutput: string;
}

/** True when nothing went wrong. */
export function isClean(report: FuzzReport): boolean {
  return report.crashes.count === 0 && report.hangs.count === 0 && report.canaryLosses.count === 0 && report.connectionCounts.leaked === 0;
}

const MIB = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

function findings(title: string, list: FindingList, replay: string): string[] {
  if (list.count === 0) return [`${title}: 0`];
  const lines = [`${title}: ${list.count}`];
  for (const finding of list.first) {
    lines.push(`  - ${finding.session === null ? '' : `session ${finding.session}: `}${finding.detail}`);
    if (finding.sent !== undefined) lines.push(`    sent: ${finding.sent}`);
    if (finding.session !== null) lines.push(`    replay: ${replay} --session ${finding.session}`);
  }
  if (list.count > list.first.length) lines.push(`  … and ${list.count - list.first.length} more`);
  return lines;
}

/** The report as the command prints it. */
export function formatReport(report: FuzzReport): string {
  const seconds = report.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(report.framesSent / seconds) : 0;
  const sessions = Object.entries(report.sessions).map(([kind, count]) => `${kind} ${count}`).join(', ');
  const counts = report.connectionCounts;
  const lines = [
    `fuzz ${report.target}, ${report.protocol}, seed ${report.seed}, ${report.connections} connections`,
    `frames sent: ${report.framesSent} of ${report.framesPlanned} in ${seconds.toFixed(1)} s (${rate} frames/s), stopped by ${report.stoppedBy}`,
    `bytes: ${report.bytesSent} sent, ${report.bytesReceived} received`,
    `sessions: ${sessions}`,
    ...findings('crashes', report.crashes, report.replay),
    ...findings('hangs', report.hangs, report.replay),
    ...findings(`canary losses (${report.canaryChecks} checks)`, report.canaryLosses, report.replay),
    `connections: baseline ${counts.baseline ?? '?'}, peak ${counts.peak ?? '?'}, end ${counts.end ?? '?'}, leaked ${counts.leaked}`,
    report.rss === null ? 'rss: not available (the server was not started here)' : `rss: start ${mib(report.rss.start)}, peak ${mib(report.rss.peak)}, end ${mib(report.rss.end)}`,
  ];
  if (report.serverOutput !== '') lines.push('server output (tail):', report.serverOutput.trimEnd());
  lines.push(isClean(report) ? 'result: clean' : `result: FAILED — reproduce with: ${report.replay}`);
  return lines.join('\n');
}
