/**
 * Runs one Clinic.js tool around a server, headless: no browser (`--open=false`), no analytics
 * question (`NO_INSIGHT=1`, without which clinic exits 0 having done nothing when there is no
 * terminal), and a load command clinic starts once the server listens (`--on-port`).
 *
 * Clinic runs in its own process group, so a run that overstays its deadline is killed whole —
 * clinic, the server under it and the load — and leaves nothing behind.
 * @module
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LOAD_DONE } from './bundled-load.ts';
import type { Tool } from './profile-options.ts';

/** One clinic run. */
export interface ClinicRun {
  readonly tool: Tool;
  /** The server's command line: executable first. */
  readonly server: readonly string[];
  /** A shell command clinic runs once the server listens; `$PORT` is its port. */
  readonly onPort: string;
  /** Folder for the data and the report. */
  readonly dest: string;
  /** Collect only and leave the report to the caller (flame, whose data is remapped first). */
  readonly collectOnly: boolean;
  /**
   * Interrupt clinic once the load prints {@link LOAD_DONE}. Bubbleprof needs it: after the load it
   * waits for the server to exit on its own, which a server never does; clinic relays the SIGINT
   * and the server shuts down cleanly.
   */
  readonly interruptAfterLoad: boolean;
  readonly cwd: string;
  readonly timeoutMs: number;
}

/** What clinic produced: the HTML report, or with `collectOnly` the data folder. */
export interface ClinicOutput {
  readonly html: string | undefined;
  readonly data: string | undefined;
  /** Seconds from starting clinic to its exit, which a report shows as its elapsed time. */
  readonly elapsedS: number;
}

const GENERATED_HTML = /^Generated HTML file is (file:\S+)/;
const OUTPUT_DATA = /^Output file is (.+)$/;

/** Runs clinic, echoing its output, and resolves with what it wrote. */
export function runClinic(run: ClinicRun): Promise<ClinicOutput> {
  const clinic = createRequire(import.meta.url).resolve('clinic/bin.js');
  const args = [
    clinic, run.tool, '--open=false', `--dest=${run.dest}`,
    ...(run.collectOnly ? ['--collect-only'] : []),
    '--on-port', run.onPort, '--', ...run.server,
  ];
  const child = spawn(process.execPath, args, {
    cwd: run.cwd,
    env: { ...process.env, NO_INSIGHT: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  };
  // If this process is interrupted, the whole run goes with it.
  const onInterrupt = () => {
    killGroup();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);

  let html: string | undefined;
  let data: string | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    console.log(line);
    const generated = GENERATED_HTML.exec(line);
    if (generated) html = fileURLToPath(generated[1]!);
    const output = OUTPUT_DATA.exec(line);
    if (output) data = output[1]!;
    if (line === LOAD_DONE && run.interruptAfterLoad) child.kill('SIGINT');
  });

  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`clinic ${run.tool} did not finish within ${run.timeoutMs / 1000} s; it was stopped`));
    }, run.timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(); // a server clinic failed to stop must not outlive the run
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
      if (code === 0 && (html ?? data)) resolve({ html, data, elapsedS: Math.round((performance.now() - started) / 1000) });
      else reject(new Error(`clinic ${run.tool} ended with ${signal ?? `exit code ${code}`} and wrote no ${run.collectOnly ? 'data' : 'report'}`));
    });
  });
}
