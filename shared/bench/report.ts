/**
 * The shape of a bench report, as printed and as written to JSON: the context of the run (Node
 * version, CPUs, the exact command, the options) and one entry per target.
 * @module
 */
import { availableParallelism, cpus, platform, arch } from 'node:os';
import type { ConnectionCheck } from './connection-check.ts';
import type { LoadResult } from './load-run.ts';
import type { MemcaslapResult } from './memcaslap-run.ts';
import type { Ratios, Verdicts } from './verdicts.ts';

/** Where and how the run happened. */
export interface RunContext {
  readonly node: string;
  /** CPUs this process may run on: fewer than installed when pinned (`taskset -c 0,1 npm run bench`). */
  readonly cpus: number;
  /** CPUs the machine has. */
  readonly cpusInstalled: number;
  readonly cpuModel: string;
  readonly platform: string;
  /** The command as a person would type it to repeat the run. */
  readonly command: string;
  readonly startedAt: string;
}

/** One target of a load run. */
export interface TargetReport {
  readonly name: string;
  /** The server's own command line, when started here. */
  readonly command?: string;
  /** Why it was skipped. */
  readonly unavailable?: string;
  /** Why it failed midway. */
  readonly error?: string;
  /** The throughput pass: closed loop, or the one open loop asked for with --rate. */
  readonly load?: LoadResult;
  /** The latency pass: an open loop at --latency-rate, after a closed loop. */
  readonly latency?: LoadResult;
  /** memcaslap's run against the target (`--driver memcaslap` or `both`). */
  readonly memcaslap?: MemcaslapResult;
  /** With `--rounds`: the throughput of each round, per instrument (the figures above are the median round's). */
  readonly rounds?: { readonly kvlab: readonly number[]; readonly memcaslap: readonly number[] };
  /** Why memcaslap did not run against it. */
  readonly memcaslapUnavailable?: string;
  readonly connectionCheck?: ConnectionCheck;
  readonly crashed?: boolean;
  readonly verdicts?: Verdicts;
  readonly ratios?: Ratios;
}

/** The context of this process's run. */
export function runContext(command: string): RunContext {
  const cpuList = cpus();
  return {
    node: process.version,
    cpus: availableParallelism(),
    cpusInstalled: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    platform: `${platform()} ${arch()}`,
    command,
    startedAt: new Date().toISOString(),
  };
}

/** The lines every run prints first. */
export function contextLines(context: RunContext): string[] {
  return [
    `node ${context.node} · ${context.cpus} CPUs (${context.cpus < context.cpusInstalled ? `of ${context.cpusInstalled} installed; ` : ''}${context.cpuModel}) · ${context.platform}`,
    `command: ${context.command}`,
  ];
}
