/**
 * For the threads tests: the child processes a server still has. The copier children that passed
 * the listening socket to the other loops must have exited; tsx, which runs the server's
 * TypeScript, may keep its esbuild service as a child of its own, which is not the server's doing.
 */
import { execFileSync } from 'node:child_process';

/** The `pid args` lines of `pid`'s children, but tsx's esbuild service. */
export function childrenOf(pid: number): string[] {
  let children = '';
  try {
    children = execFileSync('ps', ['--ppid', String(pid), '-o', 'pid=,args='], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when it lists nothing: no children.
  }
  return children.split('\n').filter((line) => line.trim() !== '' && !/\/esbuild --service/.test(line));
}
