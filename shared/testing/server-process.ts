/**
 * Starts servers as child processes for tests, the conformance suite and the benchmark, and waits
 * for a readiness signal instead of sleeping: a KV Lab phase prints one ready line with its bound
 * address; memcached writes its port to the file named by MEMCACHED_PORT_FILENAME once it listens.
 * Every child is killed when the parent exits, so no test leaves a process behind.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { phaseEntry } from '../../phases/registry.ts';

/** The repository root (two levels above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where Debian installs memcached. */
export const MEMCACHED_BIN = '/usr/bin/memcached';

/** The ready line every phase prints, e.g. `kvlab phase1 listening on 127.0.0.1:41235`. */
export const READY_LINE = /listening on (\[[^\]]+\]|[^\s:]+):(\d+)/;

/** A server started by {@link startPhase} or {@link startMemcached}. */
export interface RunningServer {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once the process has exited; sends SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
  /** Resolves when the process exits on its own. */
  readonly exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(name: string, child: ChildProcess): { exited: Promise<number | null>; output: () => string } {
  children.add(child);
  let text = '';
  const append = (chunk: Buffer) => {
    // Keep the tail only: a chatty server must not grow the test process without bound.
    text = (text + chunk.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? -1 : null));
    });
  });
  return { exited, output: () => text };
}

function stopper(child: ChildProcess, exited: Promise<number | null>) {
  return async (graceMs = 5000): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    }
    return exited;
  };
}

/** Options for {@link startProcess}. */
export interface StartOptions {
  /** How long to wait for the ready line before giving up (default 20 s). */
  readyTimeoutMs?: number;
  /** The child's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Spawns `command args…` and resolves once it prints a line matching {@link READY_LINE}.
 * Rejects (and kills the child) if it exits first or the timeout passes.
 */
export function startProcess(name: string, command: string, args: string[], options: StartOptions = {}): Promise<RunningServer> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { exited, output } = track(name, child);
  const stop = stopper(child, exited);
  const timeoutMs = options.readyTimeoutMs ?? 20000;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error: Error | null, match?: RegExpExecArray) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      if (error || !match) {
        void stop(500);
        reject(new Error(`${name} did not become ready: ${error?.message}\n--- its output ---\n${output()}`));
        return;
      }
      const host = match[1]!.replace(/^\[|\]$/g, '');
      resolve({ name, host, port: Number(match[2]), pid: child.pid!, output, stop, exited });
    };
    const onData = () => {
      const match = READY_LINE.exec(output());
      if (match) finish(null, match);
    };
    const timer = setTimeout(() => finish(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    void exited.then((code) => finish(new Error(`exited with ${code}`)));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

/** The arguments that start a phase's server through tsx, as `npm run phaseN` does. */
export function phaseArgs(phase: string, extra: string[] = []): string[] {
  return ['--import', 'tsx', fileURLToPath(phaseEntry(phase)), '--host', '127.0.0.1', '--port', '0', ...extra];
}

/** Starts a KV Lab phase (`phase1`, …) on a free loopback port and waits for its ready line. */
export function startPhase(phase: string, extra: string[] = [], options: StartOptions = {}): Promise<RunningServer> {
  return startProcess(phase, process.execPath, phaseArgs(phase, extra), options);
}

/** True when Debian's memcached is installed. */
export function memcachedInstalled(): boolean {
  return existsSync(MEMCACHED_BIN);
}

/**
 * Starts real memcached on a free loopback port (`-p -1`), UDP off, as user nobody (memcached
 * refuses to run as root otherwise). Readiness: memcached writes "TCP INET: <port>" to the file
 * named by MEMCACHED_PORT_FILENAME after it has bound, renaming it into place atomically.
 */
export function startMemcached(extra: string[] = [], options: StartOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-memcached-'));
  // Run as root, memcached drops to `nobody` before writing its port file: the folder must let it.
  chmodSync(dir, 0o777);
  const portFile = join(dir, 'port');
  const args = ['-l', '127.0.0.1', '-p', '-1', '-U', '0', ...extra];
  if (process.getuid?.() === 0) args.unshift('-u', 'nobody');
  const child = spawn(MEMCACHED_BIN, args, {
    env: { ...(options.env ?? process.env), MEMCACHED_PORT_FILENAME: portFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { exited, output } = track('memcached', child);
  const stop = stopper(child, exited);
  const timeoutMs = options.readyTimeoutMs ?? 10000;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error: Error | null, port = 0) => {
      if (done) return;
      done = true;
      watcher.close();
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (error) {
        void stop(500);
        reject(error);
      } else {
        resolve({ name: 'memcached', host: '127.0.0.1', port, pid: child.pid!, output, stop, exited });
      }
    };
    const check = () => {
      if (!existsSync(portFile)) return;
      const match = /TCP INET: (\d+)/.exec(readFileSync(portFile, 'utf8'));
      if (match) finish(null, Number(match[1]));
    };
    const watcher = watch(dir, check);
    const timer = setTimeout(() => finish(new Error(`memcached wrote no port file within ${timeoutMs} ms\n${output()}`)), timeoutMs);
    void exited.then((code) => finish(new Error(`memcached exited with ${code}\n${output()}`)));
    check();
  });
}
