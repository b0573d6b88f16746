/**
 * Runs the course's commands as a learner would (`npm run verify -- …` is `node --import tsx
 * shared/course/cli/verify.ts …`), with progress kept in a temporary file so the learner's own
 * progress is never touched, no colour, and a deadline. Also starts one that keeps running (watch).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absolutePath, REPO_ROOT } from '../paths.ts';
import { PROGRESS_VARIABLE } from '../progress.ts';

/** A course command: `verify`, `hint` or `exercises`. */
export type Command = 'verify' | 'hint' | 'exercises';

/** How a command ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh progress file path in a new temporary folder. */
export function temporaryProgress(): string {
  return join(mkdtempSync(join(tmpdir(), 'kvlab-course-')), 'progress.json');
}

function start(command: Command, args: readonly string[], progress: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, [PROGRESS_VARIABLE]: progress, NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  return spawn(process.execPath, ['--import', 'tsx', absolutePath(`shared/course/cli/${command}.ts`), ...args], {
    cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a command to its end (killed after `timeoutMs`). */
export function runCli(command: Command, args: readonly string[], progress: string, timeoutMs = 60_000): Promise<CliResult> {
  const child = start(command, args, progress);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A command left running, whose output a test can wait on. */
export class RunningCli {
  stdout = '';
  private readonly closed: Promise<number | null>;
  private wake: (() => void) | null = null;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8');
      this.wake?.();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8');
      this.wake?.();
    });
    this.closed = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  static start(command: Command, args: readonly string[], progress: string): RunningCli {
    return new RunningCli(start(command, args, progress));
  }

  /** Waits (bounded) until the output contains `text` at least `times` times; returns whether it did. */
  async waitFor(text: string, times: number, timeoutMs: number): Promise<boolean> {
    const count = () => this.stdout.split(text).length - 1;
    const deadline = Date.now() + timeoutMs;
    while (count() < times && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
    return count() >= times;
  }

  /** Sends `signal` and resolves with the exit code (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGINT', graceMs = 5000): Promise<number | null> {
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.closed;
    clearTimeout(timer);
    return code;
  }
}
