/**
 * Runs one node:test file in a child process with the JSON-lines reporter beside this file, and
 * hands back what it reported: one record per test, the file's own crash if it had one, and its
 * output. The child gets its own process group, so a deadline stops the test file's process too
 * (node:test spawns one per file), endless loop or not.
 * @module
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../paths.ts';

const REPORTER = fileURLToPath(new URL('./json-reporter.js', import.meta.url));

/** An error as the reporter describes it (see json-reporter.js). */
export interface ReportedError {
  readonly name: string;
  readonly message: string;
  readonly failureType?: string;
  readonly cause?: { readonly name: string; readonly message: string; readonly code?: unknown; readonly stack: string };
}

/** One test (or suite) as the reporter saw it finish. */
export interface ReportedTest {
  readonly name: string;
  readonly nesting: number;
  readonly suite: boolean;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly durationMs?: number;
  readonly error?: ReportedError;
}

/** One line of the reporter's output. */
type ReporterLine = ({ readonly event: 'check' } & ReportedTest) | { readonly event: 'output'; readonly text: string };

/** What a run of one file produced. */
export interface FileRun {
  /** Every test and suite, in the order they finished (the file itself excluded). */
  readonly tests: ReportedTest[];
  /** The failure reported for the file as a whole (it did not load, or crashed outside any test). */
  readonly fileFailure?: ReportedError;
  /** The last 16 KiB of what the file and the runner printed. */
  readonly output: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/** Options of {@link runTestFile}. */
export interface FileRunOptions {
  /** Extra environment for the test file. */
  readonly env?: Readonly<Record<string, string>>;
  /** Stop everything after this long. */
  readonly deadlineMs: number;
  /** Called as each test finishes (for progress, or to give up early). */
  readonly onTest?: (test: ReportedTest) => void;
  /** Aborting stops the run at once, like the deadline. */
  readonly signal?: AbortSignal;
}

/** Child process groups still running: stopped if this process exits first. */
const running = new Set<number>();

/** Stops a child's whole process group. */
function stopGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

process.once('exit', () => {
  for (const pid of running) stopGroup(pid);
});

/** Stops every test file still running (for Ctrl-C in watch mode). */
export function stopAllTestFiles(): void {
  for (const pid of running) stopGroup(pid);
}

/** Runs `file` (an absolute path) with node:test. */
export function runTestFile(file: string, options: FileRunOptions): Promise<FileRun> {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  // Inside a test (the course's own CI), node:test marks its children; a child so marked refuses
  // to run test files itself. This run is a fresh one, not part of the outer test.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-reporter=${REPORTER}`, '--test-reporter-destination=stdout', file],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  running.add(child.pid!);
  const tests: ReportedTest[] = [];
  let fileFailure: ReportedError | undefined;
  let output = '';
  const keep = (text: string) => {
    output = (output + text).slice(-16 * 1024);
  };
  child.stderr.on('data', (chunk: Buffer) => keep(chunk.toString('utf8')));
  createInterface({ input: child.stdout }).on('line', (line) => {
    let parsed: ReporterLine;
    try {
      parsed = JSON.parse(line) as ReporterLine;
    } catch {
      keep(`${line}\n`);
      return;
    }
    if (parsed.event === 'output') return keep(parsed.text);
    // node:test names a failure of the file itself after the file.
    if (parsed.nesting === 0 && parsed.name === file) {
      if (parsed.status === 'fail') fileFailure = parsed.error;
      return;
    }
    const { event: _event, ...test } = parsed;
    tests.push(test);
    options.onTest?.(test);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopGroup(child.pid!);
  }, options.deadlineMs);
  const abort = () => stopGroup(child.pid!);
  options.signal?.addEventListener('abort', abort, { once: true });
  return new Promise((resolve) => {
    child.once('close', () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      running.delete(child.pid!);
      stopGroup(child.pid!);
      resolve({ tests, fileFailure, output, timedOut, durationMs: Date.now() - started });
    });
  });
}
