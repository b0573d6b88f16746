/**
 * A server's CPU time and resident memory, read from Linux's /proc for the process and every
 * descendant (a server may fork workers). CPU comes from /proc/<pid>/stat (utime + stime, in clock
 * ticks), memory from VmRSS in /proc/<pid>/status. Elsewhere, or for an external target, they are
 * unavailable and reported as such.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Linux reports CPU times in clock ticks of 1/USER_HZ seconds; USER_HZ is 100 on every mainstream
 * architecture (`getconf CLK_TCK` prints 100 here).
 */
const TICKS_PER_SECOND = 100;
/** In /proc/<pid>/stat, after the `(comm)` field: state is field 3, utime field 14, stime field 15. */
const FIRST_FIELD_AFTER_COMM = 3;
const UTIME_FIELD = 14;
const STIME_FIELD = 15;

/** A snapshot of one process tree. */
export interface ProcSnapshot {
  /** CPU seconds used so far, user plus system, over the tree. */
  readonly cpuSeconds: number;
  /** Resident memory now, in bytes, summed over the tree. */
  readonly rssBytes: number;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The pid and every descendant's pid, through /proc/<pid>/task/<tid>/children. */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    const children = readText(`/proc/${pids[i]}/task/${pids[i]}/children`);
    for (const child of children?.split(' ') ?? []) if (child.trim()) pids.push(Number(child));
  }
  return pids;
}

function cpuSecondsOf(pid: number): number {
  return cpuSecondsOfStat(readText(`/proc/${pid}/stat`)) ?? 0;
}

/** utime + stime in seconds from the text of a /proc `stat` file (a process's or a thread's). */
function cpuSecondsOfStat(stat: string | undefined): number | undefined {
  if (stat === undefined) return undefined;
  // The command name may contain spaces and parentheses: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[UTIME_FIELD - FIRST_FIELD_AFTER_COMM]);
  const stime = Number(fields[STIME_FIELD - FIRST_FIELD_AFTER_COMM]);
  return (utime + stime) / TICKS_PER_SECOND;
}

function rssBytesOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readText(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) * 1024 : 0;
}

/**
 * CPU seconds used so far by the calling thread alone, from /proc/thread-self/stat (the file
 * names whichever thread opens it; readFileSync opens it on the caller's thread), or undefined
 * where there is no such file. `process.cpuUsage()` would count every thread of the process.
 */
export function threadCpuSeconds(): number | undefined {
  return cpuSecondsOfStat(readText('/proc/thread-self/stat'));
}

/** CPU seconds of each thread of `pid` so far, by thread id (/proc/<pid>/task/<tid>/stat). */
export function threadsCpuSeconds(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    const seconds = cpuSecondsOfStat(readText(`/proc/${pid}/task/${tid}/stat`));
    if (seconds !== undefined) threads.set(Number(tid), seconds);
  }
  return threads;
}

/** True when `pid` can be observed through /proc. */
export function procAvailable(pid: number): boolean {
  return readText(`/proc/${pid}/stat`) !== undefined;
}

/** CPU seconds and RSS of `pid` and its descendants now. */
export function snapshot(pid: number): ProcSnapshot {
  let cpuSeconds = 0;
  let rssBytes = 0;
  for (const member of processTree(pid)) {
    cpuSeconds += cpuSecondsOf(member);
    rssBytes += rssBytesOf(member);
  }
  return { cpuSeconds, rssBytes };
}
